import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable the service reads, with its default. Unset optional addresses
 * (DATABASE_URL, TEMPORAL_ADDRESS) mean "start the embedded development server".
 */
export class Environment {
  @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt() @Min(1) @Max(65535)
  EMBEDDED_POSTGRES_PORT = 5433;

  @IsString()
  EMBEDDED_POSTGRES_DIR = '.data/postgres';

  @IsOptional() @Matches(/^[^:/\s]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS?: string;

  @IsString()
  TEMPORAL_NAMESPACE = 'default';

  @IsString()
  TEMPORAL_TASK_QUEUE = 'overdracht';

  @IsOptional() @IsString()
  TEMPORAL_CLI?: string;

  @IsInt() @Min(1) @Max(65535)
  TEMPORAL_DEV_SERVER_PORT = 7233;

  @IsInt() @Min(1) @Max(65535)
  TEMPORAL_UI_PORT = 8233;

  @IsString()
  TEMPORAL_DEV_DB_FILE = '.data/temporal.sqlite';

  @Transform(toBoolean) @IsBoolean()
  RUN_WORKER = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = new Set(Object.keys(new Environment()));
  const present = Object.fromEntries(
    Object.entries(raw).filter(([name, value]) => known.has(name) && value !== undefined && value !== ''),
  );
  const environment = plainToInstance(Environment, present, { enableImplicitConversion: true });
  const errors = validateSync(environment);
  if (errors.length > 0) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return environment;
}
