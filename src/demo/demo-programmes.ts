/**
 * The demo programmes: Rotterdam's 2022 round (13 districts, the provider changing in four) and
 * Enschede's 2018 round (5 stadsdelen, consortia). Provider names are fictional.
 */
export interface DemoOrganisation {
  code: string;
  name: string;
  kind: 'municipality' | 'provider';
  email: string;
}

const org = (code: string, name: string, kind: DemoOrganisation['kind']): DemoOrganisation => ({
  code,
  name: `${name} (demo)`,
  kind,
  email: `${code}@demo.overdracht.invalid`,
});

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  org('rotterdam', 'Gemeente Rotterdam', 'municipality'),
  org('enschede', 'Gemeente Enschede', 'municipality'),
  org('welzijn-maas', 'Welzijn aan de Maas', 'provider'),
  org('stadswerk-zuid', 'Stadswerk Zuid', 'provider'),
  org('buurtkracht', 'Buurtkracht', 'provider'),
  org('samen-sterk', 'Samen Sterk in de Wijk', 'provider'),
  org('wijkpartners', 'Wijkpartners', 'provider'),
  org('noorderlicht', 'Noorderlicht Welzijn', 'provider'),
  org('stadsdeelwerk', 'Stadsdeelwerk Twente', 'provider'),
  org('twentse-wijkalliantie', 'Twentse Wijkalliantie (consortium)', 'provider'),
  org('buurtwerk-oost', 'Buurtwerk Oost', 'provider'),
  org('jongerenpunt', 'Jongerenpunt', 'provider'),
];

export const DEMO_CONSORTIA = [
  { consortium: 'twentse-wijkalliantie', member: 'buurtwerk-oost', role: 'main-contractor' },
  { consortium: 'twentse-wijkalliantie', member: 'jongerenpunt', role: 'member' },
] as const;

interface DemoDistrict {
  code: string;
  name: string;
  outgoing: string;
  incoming: string;
}

const change = (code: string, name: string, outgoing: string, incoming: string): DemoDistrict => ({ code, name, outgoing, incoming });
const stays = (code: string, name: string, provider: string): DemoDistrict => ({ code, name, outgoing: provider, incoming: provider });

export const DEMO_PROGRAMMES = [
  {
    municipality: 'rotterdam',
    goLive: { month: 6, day: 1 },
    districts: [
      change('feijenoord', 'Feijenoord', 'welzijn-maas', 'buurtkracht'),
      change('charlois', 'Charlois', 'welzijn-maas', 'samen-sterk'),
      change('hillegersberg-schiebroek', 'Hillegersberg-Schiebroek', 'stadswerk-zuid', 'buurtkracht'),
      change('ijsselmonde', 'IJsselmonde', 'stadswerk-zuid', 'samen-sterk'),
      stays('centrum', 'Centrum', 'wijkpartners'),
      stays('delfshaven', 'Delfshaven', 'wijkpartners'),
      stays('hoek-van-holland', 'Hoek van Holland', 'noorderlicht'),
      stays('hoogvliet', 'Hoogvliet', 'noorderlicht'),
      stays('kralingen-crooswijk', 'Kralingen-Crooswijk', 'wijkpartners'),
      stays('noord', 'Noord', 'noorderlicht'),
      stays('overschie', 'Overschie', 'noorderlicht'),
      stays('prins-alexander', 'Prins Alexander', 'wijkpartners'),
      stays('rozenburg', 'Rozenburg', 'noorderlicht'),
    ],
  },
  {
    municipality: 'enschede',
    goLive: { month: 1, day: 1 },
    districts: [
      change('centrum', 'Centrum', 'stadsdeelwerk', 'twentse-wijkalliantie'),
      change('noord', 'Noord', 'stadsdeelwerk', 'twentse-wijkalliantie'),
      change('oost', 'Oost', 'stadsdeelwerk', 'buurtwerk-oost'),
      stays('zuid', 'Zuid', 'twentse-wijkalliantie'),
      stays('west', 'West', 'twentse-wijkalliantie'),
    ],
  },
];

/** Demo users: a coordinator per municipality, one user per provider, an auditor. */
export const DEMO_USERS = [
  { username: 'coordinator-rotterdam', role: 'coordinator', organisation: 'rotterdam' },
  { username: 'coordinator-enschede', role: 'coordinator', organisation: 'enschede' },
  { username: 'auditor-rotterdam', role: 'auditor', organisation: 'rotterdam' },
  ...DEMO_ORGANISATIONS.filter((o) => o.kind === 'provider').map((o) => ({
    username: `provider-${o.code}`,
    role: 'provider',
    organisation: o.code,
  })),
] as const;
