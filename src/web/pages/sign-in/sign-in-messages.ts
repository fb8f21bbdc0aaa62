import type { Role } from '../../../auth/auth.types';

/** Where a user lands after signing in: a provider's inbox, an operator's page, or the municipality's overview. */
export function homeOf(role: Role): string {
  if (role === 'provider') return '/taken';
  if (role === 'operator') return '/beheer';
  return '/';
}

/** Why signing in did not work, in Dutch, shown next to the token field. */
export function signInRefusal(reason: 'empty' | 'invalid' | 'expired' | 'refused' | 'blocked'): string {
  switch (reason) {
    case 'empty':
      return 'Vul uw toegangscode in.';
    case 'invalid':
      return 'Deze toegangscode klopt niet, of is ingetrokken. Controleer de code of vraag een nieuwe aan.';
    case 'expired':
      return 'Deze toegangscode is verlopen. Vraag een nieuwe aan bij de beheerder.';
    case 'blocked':
      return 'Er waren te veel pogingen met een verkeerde code. Wacht een paar minuten en probeer het dan opnieuw.';
    case 'refused':
      return 'Met deze toegangscode kunt u niet inloggen: uw rol past niet bij uw organisatie. Vraag een nieuwe gebruiker aan.';
  }
}
