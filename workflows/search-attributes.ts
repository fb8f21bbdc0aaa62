import { TransferStepAttribute } from './client-transfer/definitions';
import { TRANSITION_SEARCH_ATTRIBUTES } from './transition/definitions';

/** Every search attribute the workflows set: codes only. Registered with the Temporal server at start. */
export const SEARCH_ATTRIBUTES = [...TRANSITION_SEARCH_ATTRIBUTES, TransferStepAttribute];
