import 'reflect-metadata';
import { runService } from './bootstrap';

void runService({ http: true });
