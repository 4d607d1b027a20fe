// Django (Debian's python3-django with django-cors-headers) under runserver: a settings.py like startproject's,
// the generated lines appended to it, and a view on the policy's path as the application.
import { LOAD_CONFIG, missingPython, startPython } from './python.ts';
import type { SnippetRunner } from './types.ts';

// startproject's middleware minus the ones that need a database (sessions, auth, messages).
const SETTINGS = `SECRET_KEY = 'corsight-proof'
DEBUG = False
ALLOWED_HOSTS = ['127.0.0.1']
ROOT_URLCONF = 'urls'
USE_TZ = True
DATABASES = {}
INSTALLED_APPS = ['django.contrib.contenttypes']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]
`;

const URLS = `${LOAD_CONFIG}import re
from django.http import JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def view(request):
    return JsonResponse({'ok': True})


urlpatterns = [re_path('^' + re.escape(CONFIG['path'][1:]) + r'\\Z', view)]
`;

export const djangoRunner: SnippetRunner = {
  server: 'django',
  unavailable: () => missingPython(['django', 'corsheaders'], 'python3-django python3-django-cors-headers'),
  start: (snippet, policy) =>
    startPython('django', policy, { 'settings.py': `${SETTINGS}\n${snippet.code}\n`, 'urls.py': URLS }, (port) => [
      '-m',
      'django',
      'runserver',
      `127.0.0.1:${port}`,
      '--noreload',
      '--settings=settings',
    ]),
};
