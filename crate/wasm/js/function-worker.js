// A function worker in the browser (a module Web Worker started by the compute worker,
// see functions.js): runs the user functions it is sent, one at a time, in its realm.
import { callFunction } from './clone.js';
import { serveFunctions } from './functions.js';

const serve = serveFunctions(callFunction, (message, transfer) => self.postMessage(message, transfer));
self.onmessage = ({ data }) => serve(data);
