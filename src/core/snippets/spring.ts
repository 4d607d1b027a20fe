// Spring MVC: a CorsRegistry mapping for the one path, with only the needed origin, methods and headers.
import { javaString } from './common.ts';
import type { SnippetGenerator } from './types.ts';

const javaArgs = (values: readonly string[]): string => values.map(javaString).join(', ');

export const spring: SnippetGenerator = (p) => {
  // Spring checks the actual request's method against allowedMethods too, so it lists the request's own method.
  const methods = [...new Set([p.method.toUpperCase(), ...p.allowMethods])];
  const code = [
    'import org.springframework.context.annotation.Configuration;',
    'import org.springframework.web.servlet.config.annotation.CorsRegistry;',
    'import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;',
    '',
    '@Configuration',
    'public class CorsConfig implements WebMvcConfigurer {',
    '  @Override',
    '  public void addCorsMappings(CorsRegistry registry) {',
    `    registry.addMapping(${javaString(p.path)})`,
    `        .allowedOrigins(${javaString(p.origin)})`,
    // Spring's defaults are GET, HEAD, POST and every header: least privilege names them.
    `        .allowedMethods(${javaArgs(methods)})`,
    `        .allowedHeaders(${javaArgs(p.allowHeaders)})`,
    `        .allowCredentials(${p.credentials});`,
    '  }',
    '}',
  ].join('\n');
  return {
    server: 'spring',
    label: 'Spring Boot (Spring MVC)',
    language: 'java',
    where: 'a @Configuration class in your Spring Boot application (Spring MVC; WebFlux has the same CorsRegistry API on WebFluxConfigurer)',
    code,
    notes: [
      'Spring answers the preflight itself and adds Vary: Origin. With Spring Security, also call http.cors(Customizer.withDefaults()) so the preflight is let through before authentication.',
      'Or annotate the handler: @CrossOrigin(origins = …, methods = …, allowedHeaders = …) on the method.',
    ],
  };
};
