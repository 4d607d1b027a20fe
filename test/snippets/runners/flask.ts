// Flask (Debian's python3-flask with flask-cors) on Werkzeug's server: an app with one route on the policy's path
// for the policy's method, the generated lines after it.
import { LOAD_CONFIG, missingPython, startPython } from './python.ts';
import type { SnippetRunner } from './types.ts';

// A catch-all rule compared to the path in the view: Werkzeug would read `<` in the path itself as a converter.
const APP = `${LOAD_CONFIG}from flask import Flask, abort, jsonify, request

app = Flask(__name__)


def view(**_):
    if request.path != CONFIG['path']:
        abort(404)
    return jsonify(ok=True)


app.add_url_rule('/', 'root', view, methods=[CONFIG['method']])
app.add_url_rule('/<path:rest>', 'view', view, methods=[CONFIG['method']])
`;

export const flaskRunner: SnippetRunner = {
  server: 'flask',
  unavailable: () => missingPython(['flask', 'flask_cors'], 'python3-flask python3-flask-cors'),
  start: (snippet, policy) =>
    startPython('flask', policy, { 'app.py': `${APP}\n${snippet.code}\n\napp.run(host='127.0.0.1', port=CONFIG['port'])\n` }, () => ['-m', 'app']),
  refusesMethod: (method) => (method === method.toUpperCase() ? null : `flask-cors sends Access-Control-Allow-Methods upper-case, never "${method}"`),
};
