import type { PlanTemplate } from './plan-template.types';

/**
 * The seeded plan templates, drawn from the Rotterdam (2022) and Enschede (2018) programmes.
 * Stored versioned in Postgres; a changed template is a new version, never an edit.
 */
export const PROVIDER_CHANGE: PlanTemplate = {
  code: 'provider-change',
  version: 1,
  name: 'Provider change: full warm handover (warme overdracht)',
  definition: {
    tasks: [
      { key: 'kick-off', title: 'Kick-off with both providers', offsetDays: -120, assignee: 'municipality', dependsOn: [] },
      { key: 'staff-agreements', title: 'Agree on staff moving to the incoming provider', offsetDays: -90, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'location-agreements', title: 'Agree on locations and their use', offsetDays: -90, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'client-list', title: 'Deliver the list of clients in ongoing support (pseudonymised)', offsetDays: -60, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'client-files', title: 'Transfer client files, with each client\'s consent', offsetDays: -30, assignee: 'outgoing', dependsOn: ['client-list'] },
      { key: 'client-intake', title: 'Intake of every transferred client', offsetDays: -14, assignee: 'incoming', dependsOn: ['client-files'] },
      { key: 'residents-informed-outgoing', title: 'Inform residents about the change (outgoing provider)', offsetDays: -28, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'residents-informed-incoming', title: 'Inform residents about the new provider (incoming provider)', offsetDays: -21, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'partners-introduced', title: 'Introduce local partners and residents\' initiatives', offsetDays: -30, assignee: 'outgoing', dependsOn: ['kick-off'] },
      { key: 'keys-handed-over', title: 'Hand over keys and locations', offsetDays: -1, assignee: 'outgoing', dependsOn: ['location-agreements'] },
      { key: 'go-no-go', title: 'Go / no-go meeting', offsetDays: -7, assignee: 'municipality', dependsOn: [] },
      { key: 'evaluation', title: 'Evaluate the handover with both providers', offsetDays: 90, assignee: 'municipality', dependsOn: [] },
    ],
    milestones: [
      { key: 'kicked-off', title: 'Kick-off held', offsetDays: -120, mandatory: true, tasks: ['kick-off'] },
      { key: 'agreements-made', title: 'Staff and location agreements made', offsetDays: -90, mandatory: true, tasks: ['staff-agreements', 'location-agreements'] },
      { key: 'residents-informed', title: 'Residents informed before go-live', offsetDays: -21, mandatory: true, tasks: ['residents-informed-outgoing', 'residents-informed-incoming'] },
      { key: 'partners-introduced', title: 'Local partners and residents\' initiatives introduced', offsetDays: -30, mandatory: false, tasks: ['partners-introduced'] },
      { key: 'clients-transferred', title: 'Clients in ongoing support transferred', offsetDays: -14, mandatory: true, tasks: ['client-list', 'client-files', 'client-intake'] },
      { key: 'locations-handed-over', title: 'Keys and locations handed over', offsetDays: -1, mandatory: true, tasks: ['keys-handed-over'] },
      { key: 'go-decision', title: 'Go / no-go decided', offsetDays: -7, mandatory: true, tasks: ['go-no-go'] },
      { key: 'evaluated', title: 'Handover evaluated', offsetDays: 90, mandatory: false, tasks: ['evaluation'] },
    ],
    closesAfterMilestone: 'evaluated',
  },
};

export const CONTINUATION: PlanTemplate = {
  code: 'continuation',
  version: 1,
  name: 'Continuation: same provider, new assignment',
  definition: {
    tasks: [
      { key: 'kick-off', title: 'Kick-off of the new assignment', offsetDays: -60, assignee: 'municipality', dependsOn: [] },
      { key: 'assignment-agreed', title: 'Agree on the new assignment\'s focus groups and partners', offsetDays: -45, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'residents-informed', title: 'Inform residents about the new assignment', offsetDays: -21, assignee: 'incoming', dependsOn: ['kick-off'] },
      { key: 'go-no-go', title: 'Go / no-go meeting', offsetDays: -7, assignee: 'municipality', dependsOn: [] },
      { key: 'evaluation', title: 'Evaluate the start of the new assignment', offsetDays: 90, assignee: 'municipality', dependsOn: [] },
    ],
    milestones: [
      { key: 'kicked-off', title: 'Kick-off held', offsetDays: -60, mandatory: true, tasks: ['kick-off'] },
      { key: 'residents-informed', title: 'Residents informed before go-live', offsetDays: -21, mandatory: true, tasks: ['residents-informed'] },
      { key: 'go-decision', title: 'Go / no-go decided', offsetDays: -7, mandatory: true, tasks: ['go-no-go'] },
      { key: 'evaluated', title: 'Start evaluated', offsetDays: 90, mandatory: false, tasks: ['evaluation'] },
    ],
    closesAfterMilestone: 'evaluated',
  },
};

export const DEFAULT_TEMPLATES = [PROVIDER_CHANGE, CONTINUATION];
