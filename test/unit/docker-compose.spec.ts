import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/paths';

const run = promisify(execFile);

/** docker-compose.yml is a deliverable even where no Docker engine runs: Compose itself must accept it. */
describe('docker-compose.yml', () => {
  let config: { services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string> }> };

  beforeAll(async () => {
    const { stdout } = await run(
      process.env.DOCKER_COMPOSE!,
      ['-f', join(projectRoot, 'docker-compose.yml'), 'config', '--format', 'json'],
      {
        env: {
          ...process.env,
          POSTGRES_PASSWORD: 'secret',
          PAYLOAD_ENCRYPTION_KEY: 'a'.repeat(43) + '=',
          CLIENT_DATA_MASTER_KEY: 'b'.repeat(43) + '=',
        },
      },
    );
    config = JSON.parse(stdout);
  });

  it('is valid for docker compose config, with every piece of the production stack', () => {
    expect(Object.keys(config.services).sort()).toEqual(
      ['api', 'mailpit', 'postgres', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:v?\d+(\.\d+)+[\w.-]*$/)]);
    }
  });

  it('runs the API without a worker and the workers separately, on Temporal and PostgreSQL of its own', () => {
    const { api, worker } = config.services;
    expect(api.environment).toMatchObject({ RUN_WORKER: 'false', TEMPORAL_ADDRESS: 'temporal:7233', DEMO_DATA: 'false' });
    expect(api.environment!.DATABASE_URL).toMatch(/@postgres:5432\/overdracht$/);
    expect(worker.environment!.PAYLOAD_ENCRYPTION_KEY).toBe('a'.repeat(43) + '=');
  });

  it("points the Temporal UI at the API's codec endpoint, and the API lets that UI's origin call it", () => {
    const { api, 'temporal-ui': ui } = config.services;
    expect(ui.environment).toMatchObject({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/codec', TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true' });
    expect(api.environment!.TEMPORAL_UI_ORIGINS).toBe('http://localhost:8080,http://127.0.0.1:8080');
  });

  it('gives API and workers the client data master key, and one erasure log on a volume that outlives them', () => {
    const services = config.services as Record<string, { environment?: Record<string, string>; volumes?: Array<{ source?: string; target?: string }> }>;
    for (const name of ['api', 'worker']) {
      const { environment, volumes } = services[name];
      expect(environment!.CLIENT_DATA_MASTER_KEY).toBe('b'.repeat(43) + '=');
      expect(environment!.CLIENT_ERASURE_LOG).toBe('/var/lib/overdracht/client-erasures.log');
      expect(volumes).toEqual([expect.objectContaining({ source: 'erasure-log', target: '/var/lib/overdracht' })]);
    }
  });
});
