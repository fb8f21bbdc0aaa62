/**
 * What the handover keeps about a client, and why (data minimisation, AVG art. 5(1)(c)). All of
 * it is stored encrypted with the client's own key and readable only by the outgoing provider,
 * and by the incoming provider once the client has consented.
 *
 * | field | purpose |
 * |---|---|
 * | firstName, lastName | the incoming provider addresses the person and recognises them at intake |
 * | birthDate | tells apart people with the same name at the same address |
 * | street, houseNumber, postcode, city | where the intake takes place; a personal letter |
 * | phone, email (optional) | how the incoming provider makes the first contact |
 * | note (optional) | what the incoming provider must know to continue support (free text) |
 *
 * The client number (the outgoing provider's own) is kept only as a keyed hash, to recognise a
 * client on a repeated import; the target group is a code, kept in the clear for counts.
 */
export interface ClientPersonalData {
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  street: string;
  houseNumber: string;
  /** `1234 AB` */
  postcode: string;
  city: string;
  phone: string | null;
  email: string | null;
  note: string | null;
}
