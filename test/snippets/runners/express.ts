// Express 5 without a CORS package, running the generated snippet.
import { expressApp } from './node-app.ts';

export const expressRunner = expressApp('express', ['express']);
