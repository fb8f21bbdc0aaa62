import { DefaultLogger, Runtime } from '@temporalio/worker';

// Worker state changes at INFO would bury jest's report; keep warnings and errors.
Runtime.install({ logger: new DefaultLogger('WARN') });
