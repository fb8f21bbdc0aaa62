import { CODE } from '../organisations/codes';
import { CODE_MAX_LENGTH } from '../transitions/dto/transition-validators';

/** Whether a page path's segment can be a task's or milestone's code, by the API's rule (TaskParams); else the page answers 404. */
export const isCodeSegment = (value: string): boolean => value.length <= CODE_MAX_LENGTH && CODE.test(value);
