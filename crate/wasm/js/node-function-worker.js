// A function worker in Node (a worker thread started by the compute thread, see
// functions.js): runs the user functions it is sent, one at a time, in its realm.
import { parentPort } from 'node:worker_threads';

import { callFunction } from './clone.js';
import { serveFunctions } from './functions.js';

const serve = serveFunctions(callFunction, (message, transfer) => parentPort.postMessage(message, transfer));
parentPort.on('message', serve);
