import type { VerificationReport } from '../../../audit/audit-verifier.service';

/** The verification of a handover's audit trail in Dutch (B1): intact, or which event breaks the chain and how. */
export function auditStatus(report: VerificationReport): { intact: boolean; sentence: string } {
  if (report.intact) {
    const events = report.events === 1 ? '1 gebeurtenis' : `${report.events} gebeurtenissen`;
    return { intact: true, sentence: `Audittrail gecontroleerd: intact. Alle ${events} zijn onveranderd.` };
  }
  const broken = report.firstBroken!;
  const where = `gebeurtenis ${broken.streamVersion}`;
  let why = `de keten klopt niet bij ${where}.`;
  if (/missing/.test(broken.reason)) why = `er ontbreekt een gebeurtenis vóór ${where}.`;
  else if (/previous hash/.test(broken.reason)) why = `${where} is opnieuw aan de keten gehangen.`;
  else if (/changed/.test(broken.reason)) why = `${where} is na het vastleggen veranderd.`;
  return { intact: false, sentence: `Audittrail gecontroleerd: niet in orde. ${why[0].toUpperCase()}${why.slice(1)} Download de audittrail en meld dit.` };
}
