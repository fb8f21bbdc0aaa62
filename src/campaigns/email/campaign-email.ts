import { CampaignMessageFields } from '../campaign-message';
import { composeMessage, MessageBlock, printable } from '../letters/letter-template';

export interface CampaignEmail {
  subject: string;
  html: string;
  text: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

const EMAIL_ADDRESS = /^[^\s@<>"'()]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const WEBSITE = /^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s"'<>]*)?$/i;

/** A link only for values that look like what they are; anything else stays (escaped) text. */
function contactValueHtml(label: string, value: string): string {
  const text = escapeHtml(value);
  if (label === 'E-mail' && EMAIL_ADDRESS.test(value)) return `<a href="mailto:${escapeHtml(value)}">${text}</a>`;
  if (label === 'Website' && WEBSITE.test(value)) {
    const href = /^https?:\/\//i.test(value) ? value : `https://${value}`;
    return `<a href="${escapeHtml(href)}">${text}</a>`;
  }
  if (label === 'Telefoon') {
    const digits = value.replace(/[^\d+]/g, '');
    if (digits.length >= 4) return `<a href="tel:${escapeHtml(digits)}">${text}</a>`;
  }
  return text;
}

function blockHtml(block: MessageBlock): string {
  switch (block.kind) {
    case 'heading':
      return `<h2 style="font-size:18px;margin:24px 0 8px">${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return `<p style="margin:0 0 12px">${escapeHtml(block.text)}</p>`;
    case 'list':
      return `<ul style="margin:0 0 12px;padding-left:24px">${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
    case 'contact':
      return (
        `<p style="margin:0 0 12px;padding-left:16px"><strong>${escapeHtml(block.name)}</strong>` +
        block.lines.map((line) => `<br>${escapeHtml(line.label)}: ${contactValueHtml(line.label, line.value)}`).join('') +
        '</p>'
      );
  }
}

function blockText(block: MessageBlock): string {
  switch (block.kind) {
    case 'heading':
      return block.text;
    case 'paragraph':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'contact':
      return [block.name, ...block.lines.map((line) => `${line.label}: ${line.value}`)].map((line) => `  ${line}`).join('\n');
  }
}

/**
 * The campaign's e-mail: the same message as the letter (same template version), as HTML with every
 * merge field escaped and as a plain-text alternative. `salutation` null: "Beste bewoner,".
 */
export function renderCampaignEmail(
  fields: CampaignMessageFields,
  templateVersion: number,
  salutation: string | null,
): CampaignEmail {
  const message = composeMessage(fields, templateVersion, salutation);
  const from = `${printable(fields.municipality.name)}, samen met ${printable(fields.outgoing.name)} en ${printable(fields.incoming.name)}`;

  const signaturesHtml =
    '<table role="presentation" style="border-collapse:collapse;margin:8px 0 24px"><tr>' +
    message.signatures
      .map(
        (s) =>
          `<td style="vertical-align:top;padding:0 24px 0 0"><strong>${escapeHtml(s.name)}</strong><br>` +
          `${escapeHtml(s.role)}<br>${escapeHtml(s.organisation)}</td>`,
      )
      .join('') +
    '</tr></table>';

  const html = [
    '<!DOCTYPE html>',
    '<html lang="nl">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(message.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#ffffff">',
    '<div style="max-width:600px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">',
    `<p style="margin:0 0 16px;font-size:14px;color:#4a4a4a">${escapeHtml(from)}</p>`,
    `<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(message.subject)}</h1>`,
    `<p style="margin:0 0 12px">${escapeHtml(message.greeting)}</p>`,
    ...message.blocks.map(blockHtml),
    `<p style="margin:24px 0 8px">${escapeHtml(message.closing)}</p>`,
    signaturesHtml,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\r\n');

  const parts: string[] = [from, message.subject, message.greeting];
  message.blocks.forEach((block, index) => {
    // A heading sits right above what it introduces.
    if (index > 0 && message.blocks[index - 1].kind === 'heading') parts[parts.length - 1] += `\n${blockText(block)}`;
    else parts.push(blockText(block));
  });
  parts.push(
    message.closing,
    message.signatures.map((s) => `${s.name}\n${s.role}\n${s.organisation}`).join('\n\n'),
  );
  const text = `${parts.join('\n\n')}\n`.replace(/\n/g, '\r\n');

  return { subject: message.subject, html, text };
}
