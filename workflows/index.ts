// Every workflow type the worker runs. The type is the exported name.
export { transitionWorkflowV2 } from './transition/workflow';
export { clientTransferWorkflow } from './client-transfer/workflow';
export { clientImportWorkflow } from './client-import/workflow';
/** The first release, frozen for the runs started on it (see ./transition/v1/workflow.ts). */
export { transitionWorkflow } from './transition/v1/workflow';
export { campaignWorkflow } from './campaign/workflow';
export { readinessCheckWorkflow } from './forecast/workflow';
