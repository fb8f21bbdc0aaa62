export { transitionWorkflow } from './transition.workflow';
