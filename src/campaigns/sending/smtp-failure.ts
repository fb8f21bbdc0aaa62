/**
 * What a failed SMTP delivery means for the ledger, read from nodemailer's error: its
 * `responseCode` (the server's 3-digit reply code), `code` (nodemailer's own: ECONNECTION, ...)
 * and `command` (the SMTP step that failed). Never its message or `response`: a server's text
 * may quote the recipient's address.
 */
export interface SmtpFailure {
  /** `bounced`: refused for good (a letter may follow); `deferred`: try again later. */
  outcome: 'bounced' | 'deferred';
  /** The reply code ("550", "421") or, without one, nodemailer's error code ("ECONNECTION"). */
  code: string;
  /**
   * The refusal is about the server or the connection, not this recipient (421, a lost or refused
   * connection, a refusal at the greeting, login or sender): the page's other messages would fare
   * no better, so the sender stops handing them out.
   */
  serverWide: boolean;
}

/** Steps of one message's own transaction: a 5xx there refuses this message (or recipient). */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);
/** Refused by nodemailer before the server saw it (a malformed address, an empty message): permanent. */
const LOCAL_REFUSALS = new Set(['EENVELOPE', 'EMESSAGE']);
const CODE = /^[A-Z][A-Z0-9_]{0,31}$/;

export function classifySmtpFailure(error: unknown): SmtpFailure {
  const { responseCode, code, command } = (error ?? {}) as { responseCode?: unknown; code?: unknown; command?: unknown };
  const step = typeof command === 'string' ? command : '';
  if (typeof responseCode === 'number' && Number.isInteger(responseCode) && responseCode >= 200 && responseCode <= 599) {
    const reply = String(responseCode);
    const ownStep = MESSAGE_COMMANDS.has(step);
    if (responseCode >= 500 && ownStep) return { outcome: 'bounced', code: reply, serverWide: false };
    // 4xx: come back later. A 5xx at the greeting, login or MAIL FROM refuses the sender (the
    // configuration), not the resident: no bounce, no fallback letter for the whole campaign.
    return { outcome: 'deferred', code: reply, serverWide: responseCode === 421 || !ownStep };
  }
  const own = typeof code === 'string' && CODE.test(code) ? code : 'EUNKNOWN';
  if (LOCAL_REFUSALS.has(own) && (step === 'API' || step === 'MAIL FROM' || step === '')) {
    return { outcome: 'bounced', code: own, serverWide: false };
  }
  return { outcome: 'deferred', code: own, serverWide: true };
}
