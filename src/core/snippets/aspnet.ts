// ASP.NET Core: a named CORS policy with only the needed origin, methods and headers, required by the one endpoint.
import { placeholder } from './common.ts';
import type { SnippetGenerator } from './types.ts';

/** A C# string literal; everything outside printable ASCII as a \u escape, so no value ends the literal. */
function csString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

const csArgs = (values: readonly string[]): string => values.map(csString).join(', ');

export const aspnet: SnippetGenerator = (p) => {
  // The preflight's requested method must be listed even when CORS-safelisted (ASP.NET checks it byte for byte).
  const methods = [...new Set([p.method, ...p.allowMethods])];
  const code = [
    'builder.Services.AddCors(options =>',
    '{',
    '    options.AddPolicy("CorsightPolicy", policy => policy',
    `        .WithOrigins(${csString(p.origin)})`,
    `        .WithMethods(${csArgs(methods)})`,
    `        .WithHeaders(${csArgs(p.allowHeaders)})${p.credentials ? '' : ');'}`,
    ...(p.credentials ? ['        .AllowCredentials());'] : []),
    '});',
    '',
    'var app = builder.Build();',
    '// After UseRouting (when you call it), before UseAuthentication and the endpoints.',
    'app.UseCors();',
    '',
    `app.MapMethods(${csString(p.path)}, new[] { ${csString(p.method)} }, (HttpContext context) =>`,
    '{',
    `    // ${placeholder(`your existing handler for ${p.method} ${p.path}`)}`,
    '}).RequireCors("CorsightPolicy");',
  ].join('\n');
  return {
    server: 'aspnet',
    label: 'ASP.NET Core',
    language: 'csharp',
    where: 'Program.cs (minimal hosting; with controllers put [EnableCors("CorsightPolicy")] on the action instead of RequireCors)',
    code,
    notes: [
      'The CORS middleware answers the preflight itself and adds Vary: Origin. app.UseCors() must run before authentication, or the preflight (which carries no credentials) is rejected.',
    ],
  };
};
