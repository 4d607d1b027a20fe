// Flask with flask-cors: CORS on one exact path for one origin, with the methods and request headers the request
// needs and nothing more (flask-cors allows every header when allow_headers is left out).
import { decodedPath, pythonExactRegex, pythonString } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

/** flask-cors reads a string holding one of these as a regex (its probably_regex), anything else literally. */
const LOOKS_LIKE_REGEX = /[*\\\]?$^[()]/;

/** An anchored regex that matches exactly `value` (flask-cors compares a compiled pattern case-sensitively). */
const regex = (value: string): string => `re.compile(${pythonExactRegex(value)})`;

/** A flask-cors pattern that matches exactly `value`: the string itself, or the regex when flask-cors would read
 *  the string as one. */
const exact = (value: string): string => (LOOKS_LIKE_REGEX.test(value) ? regex(value) : pythonString(value));

const list = (values: readonly string[]): string => `[${values.map(exact).join(', ')}]`;

export const flask: SnippetGenerator = (p) => {
  // flask-cors checks Access-Control-Request-Method against `methods`, so the request's own method is listed even
  // when it is CORS-safelisted; it writes them upper-case either way.
  const methods = [...new Set([...p.allowMethods, p.method].map((m) => m.toUpperCase()))];
  const code = [
    '# After app = Flask(__name__) (pip install flask-cors).',
    'import re',
    '',
    'from flask_cors import CORS',
    '',
    'CORS(',
    '    app,',
    `    resources={${pythonExactRegex(decodedPath(p.path))}: {}},`,
    // flask-cors sends Vary: Origin only when an origin is a regex; without it a cache can serve the allowed
    // origin a response made for another.
    `    origins=[${regex(p.origin)}],  # a regex, so that flask-cors also sends Vary: Origin`,
    `    methods=[${methods.map(pythonString).join(', ')}],`,
    `    allow_headers=${list(p.allowHeaders)},`,
    `    supports_credentials=${p.credentials ? 'True' : 'False'},`,
    '    vary_header=True,',
    ')',
  ].join('\n');
  return {
    server: 'flask',
    label: 'Flask (flask-cors)',
    language: 'python',
    where: 'the module that creates your Flask app',
    code,
    notes: [
      'The route must accept the method (`methods=[...]` on @app.route); Flask answers the preflight itself and flask-cors adds the headers to that answer.',
      ...(p.method !== p.method.toUpperCase()
        ? [`flask-cors sends its methods upper-case, and the browser compares "${p.method}" case-sensitively: make the page send "${p.method.toUpperCase()}".`]
        : []),
    ],
  };
};
