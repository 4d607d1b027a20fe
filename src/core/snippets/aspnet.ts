// ASP.NET Core: a named CORS policy with only the needed origin, methods and headers, required by the one endpoint.
import { handlerPlaceholder, javaString } from './common.ts';
import type { SnippetGenerator } from './types.ts';

/** C# reads the same escapes as Java. */
const csString = javaString;

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
    // CorsService sets VaryByOrigin only for a policy with several origins (or a custom origin test); this endpoint
    // still answers other origins without the header, so caches must key on Origin.
    '    context.Response.Headers.Append("Vary", "Origin");',
    handlerPlaceholder(p, '    '),
    '}).RequireCors("CorsightPolicy");',
  ].join('\n');
  return {
    server: 'aspnet',
    label: 'ASP.NET Core',
    language: 'csharp',
    where: 'Program.cs (minimal hosting; with controllers put [EnableCors("CorsightPolicy")] on the action instead of RequireCors)',
    code,
    notes: [
      'The CORS middleware answers the preflight itself. app.UseCors() must run before authentication, or the preflight (which carries no credentials) is rejected.',
      'With a single origin the CORS middleware sends no Vary: Origin, so the handler adds it: keep that line in front of anything that can return early.',
    ],
  };
};
