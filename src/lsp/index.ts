export { startServer } from './server.js';
export { runServer } from './stdio.js';
