// Django with django-cors-headers: settings that enable CORS on one exact path for one origin, with every list
// set explicitly (the package's defaults allow more methods and headers than the request needs).
import { decodedPath, pythonExactRegex, pythonString } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

const pyList = (values: readonly string[]): string => `[${values.map(pythonString).join(', ')}]`;

export const django: SnippetGenerator = (p) => {
  const code = [
    '# At the end of settings.py (pip install django-cors-headers).',
    "INSTALLED_APPS += ['corsheaders']",
    '# First, above CommonMiddleware: it must answer the preflight before anything else can.',
    "MIDDLEWARE.insert(0, 'corsheaders.middleware.CorsMiddleware')",
    '',
    `CORS_ALLOWED_ORIGINS = ${pyList([p.origin])}`,
    `CORS_URLS_REGEX = ${pythonExactRegex(decodedPath(p.path))}`,
    `CORS_ALLOW_METHODS = ${pyList(p.allowMethods)}`,
    `CORS_ALLOW_HEADERS = ${pyList(p.allowHeaders)}`,
    `CORS_ALLOW_CREDENTIALS = ${p.credentials ? 'True' : 'False'}`,
  ].join('\n');
  const unsafe = !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(p.method.toUpperCase());
  return {
    server: 'django',
    label: 'Django (django-cors-headers)',
    language: 'python',
    where: 'settings.py',
    code,
    notes: [
      'CORS_URLS_REGEX limits CORS to this path; without it every URL of the site answers this origin.',
      'The same setting names work in django-cors-headers 3.5 and later (4.x included); older releases call CORS_ALLOWED_ORIGINS CORS_ORIGIN_WHITELIST.',
      ...(unsafe && p.credentials
        ? [
            `CORS does not exempt the request from Django's CSRF check: a cookie-authenticated ${p.method} also needs the page's origin in CSRF_TRUSTED_ORIGINS and the CSRF token, or the view must be csrf_exempt.`,
          ]
        : []),
    ],
  };
};
