// Express 5 with the cors package, running the generated snippet.
import { expressApp } from './node-app.ts';

export const expressCorsRunner = expressApp('express-cors', ['express', 'cors']);
