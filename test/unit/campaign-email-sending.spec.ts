import { validateEnvironment } from '../../src/config/environment';
import { campaignMessageId, classifySmtpFailure, emailBackoffMs, mailDomainOf } from '../../src/campaigns/sending';

describe('emailBackoffMs', () => {
  it('does not wait after a page that got through', () => {
    expect(emailBackoffMs(0)).toBe(0);
    expect(emailBackoffMs(-3)).toBe(0);
  });

  it('waits 1 s after the first deferred page, doubling, at most 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(emailBackoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(emailBackoffMs(Number.MAX_SAFE_INTEGER)).toBe(60_000);
  });
});

describe('classifySmtpFailure', () => {
  const smtpError = (responseCode: number | undefined, command: string, code = 'EENVELOPE') =>
    Object.assign(new Error(`${responseCode} 5.1.1 <jan.jansen@example.nl>: Recipient address rejected`), {
      responseCode,
      command,
      code,
      response: `${responseCode} 5.1.1 <jan.jansen@example.nl>: Recipient address rejected`,
    });

  it('bounces a 5xx to the recipient or the message, with the code only', () => {
    expect(classifySmtpFailure(smtpError(550, 'RCPT TO'))).toEqual({ outcome: 'bounced', code: '550', serverWide: false });
    expect(classifySmtpFailure(smtpError(552, 'DATA', 'EMESSAGE'))).toEqual({ outcome: 'bounced', code: '552', serverWide: false });
  });

  it('defers a 4xx; 421 stops the page', () => {
    expect(classifySmtpFailure(smtpError(451, 'RCPT TO'))).toEqual({ outcome: 'deferred', code: '451', serverWide: false });
    expect(classifySmtpFailure(smtpError(421, 'RCPT TO'))).toEqual({ outcome: 'deferred', code: '421', serverWide: true });
    expect(classifySmtpFailure(smtpError(421, 'CONN', 'EPROTOCOL'))).toEqual({ outcome: 'deferred', code: '421', serverWide: true });
  });

  it('does not bounce residents for a refusal of the sender (greeting, login, MAIL FROM)', () => {
    expect(classifySmtpFailure(smtpError(535, 'AUTH PLAIN', 'EAUTH'))).toMatchObject({ outcome: 'deferred', code: '535', serverWide: true });
    expect(classifySmtpFailure(smtpError(553, 'MAIL FROM'))).toMatchObject({ outcome: 'deferred', code: '553', serverWide: true });
  });

  it('defers a lost, refused or timed-out connection under nodemailer’s code', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']) {
      expect(classifySmtpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code, command: 'CONN' }))).toEqual({ outcome: 'deferred', code, serverWide: true });
    }
    expect(classifySmtpFailure(new Error('what'))).toEqual({ outcome: 'deferred', code: 'EUNKNOWN', serverWide: true });
    expect(classifySmtpFailure(undefined)).toEqual({ outcome: 'deferred', code: 'EUNKNOWN', serverWide: true });
  });

  it('bounces what nodemailer refuses itself (a malformed address)', () => {
    expect(classifySmtpFailure(smtpError(undefined, 'API'))).toEqual({ outcome: 'bounced', code: 'EENVELOPE', serverWide: false });
  });

  it('never carries the server’s text', () => {
    const failures = [smtpError(550, 'RCPT TO'), smtpError(451, 'RCPT TO'), Object.assign(new Error('x'), { code: 'jan@example.nl' })].map(classifySmtpFailure);
    expect(JSON.stringify(failures)).not.toMatch(/jan|@|Recipient/);
  });
});

describe('Message-IDs', () => {
  it('take the domain of MAIL_FROM and are fixed by campaign and seq', () => {
    expect(mailDomainOf('Overdracht <noreply@Overdracht.invalid>')).toBe('overdracht.invalid');
    expect(mailDomainOf('wijkinfo@rotterdam.nl')).toBe('rotterdam.nl');
    expect(campaignMessageId('0b0c7e1e-9a7d-4c4f-8f7e-6f1f2a3b4c5d', 17, 'rotterdam.nl')).toBe('<campaign.0b0c7e1e-9a7d-4c4f-8f7e-6f1f2a3b4c5d.17@rotterdam.nl>');
    expect(() => mailDomainOf('Overdracht')).toThrow(/MAIL_FROM/);
  });
});

describe('campaign e-mail settings', () => {
  it('have documented defaults', () => {
    expect(validateEnvironment({})).toMatchObject({ CAMPAIGN_SMTP_MAX_CONNECTIONS: 5, CAMPAIGN_SMTP_RATE_PER_SECOND: 20, CAMPAIGN_EMAIL_PAGE_SIZE: 500 });
  });

  it('are validated, naming the variable', () => {
    expect(validateEnvironment({ CAMPAIGN_SMTP_RATE_PER_SECOND: '0' }).CAMPAIGN_SMTP_RATE_PER_SECOND).toBe(0);
    expect(() => validateEnvironment({ CAMPAIGN_SMTP_MAX_CONNECTIONS: '0' })).toThrow(/CAMPAIGN_SMTP_MAX_CONNECTIONS/);
    expect(() => validateEnvironment({ CAMPAIGN_SMTP_RATE_PER_SECOND: 'fast' })).toThrow(/CAMPAIGN_SMTP_RATE_PER_SECOND/);
    expect(() => validateEnvironment({ CAMPAIGN_EMAIL_PAGE_SIZE: '0' })).toThrow(/CAMPAIGN_EMAIL_PAGE_SIZE/);
  });
});
