package io.herald.security;

import jakarta.servlet.DispatcherType;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what.
 * <p>Local mode ({@code herald.security.enabled=false}, the default): everything is allowed, the caller
 * is "local" with the admin role, and {@link LoopbackGuard} keeps the server on a loopback address.
 * <p>Secure mode: API clients send {@code Authorization: Bearer <key>} (stateless, no CSRF); the console
 * logs in through {@code POST /auth/login} and then uses a session cookie with CSRF protection
 * (XSRF-TOKEN cookie echoed in the X-XSRF-TOKEN header). Rules by URL and method:
 * <ul>
 *   <li>public: the console's files ({@code /ui/**}), {@code /actuator/health}, the OpenAPI description and
 *       Swagger UI, {@code GET /auth/me}, {@code POST /auth/login}</li>
 *   <li>admin: {@code /api-keys/**}, {@code /audit/**}, and any write not listed below (deny by default)</li>
 *   <li>editor: writes to {@code /campaigns/**}, {@code /recipients/**}, {@code /imports/**}, {@code /tags/**},
 *       {@code /v1/camp/**}, {@code /suppressions/**}</li>
 *   <li>provider callbacks signed by the provider ({@code /webhooks/sms/status}, {@code /webhooks/ses}): public,
 *       their controllers check the signature; other {@code /webhooks/**}: the webhook role (or admin)</li>
 *   <li>viewer: every other GET</li>
 * </ul>
 * Without credentials the answer is 401, with too weak a role 403; both are problem+json.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {
    static final String[] EDITOR_WRITES = {"/campaigns", "/campaigns/**", "/recipients", "/recipients/**",
            "/imports", "/imports/**", "/tags", "/tags/**", "/v1/camp/**", "/suppressions", "/suppressions/**"};
    /** Provider callbacks that carry the provider's own signature, checked by their controller. */
    static final String[] SIGNED_WEBHOOKS = {"/webhooks/sms/status", "/webhooks/ses"};
    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    @Bean
    ProblemWriter securityProblemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    LoginThrottle loginThrottle(SecurityProperties properties) {
        return new LoginThrottle(properties.loginFailuresPerMinute(), properties.loginFailuresPerMinutePerIp(),
                properties.loginWindow());
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_EDITOR\nROLE_EDITOR > ROLE_VIEWER");
    }

    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        return repository;
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(SecurityProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<RequestSizeFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeFilter(properties.maxBodySize().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** Requests the firewall refuses (e.g. ";" or an encoded "/" in the path) are a 400 problem, not a 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, e) -> problems.rejected(request, response);
    }

    @Bean
    WebMvcConfigurer auditInterceptorRegistration(AuditLog audit) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AuditInterceptor(audit));
            }
        };
    }

    @Bean
    SecurityFilterChain heraldSecurity(HttpSecurity http, SecurityProperties properties, ApiKeyService keys,
                                       LoginThrottle throttle, ProblemWriter problems, CsrfTokenRepository csrfTokens,
                                       SecurityContextRepository contexts, AuditLog audit) throws Exception {
        http.requestCache(cache -> cache.disable())
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable);
        if (!properties.enabled()) {
            return http.csrf(AbstractHttpConfigurer::disable)
                    .anonymous(anonymous -> anonymous.principal(HeraldPrincipal.LOCAL).authorities(Role.ADMIN.authority()))
                    .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                    .logout(AbstractHttpConfigurer::disable)
                    .build();
        }
        AccessDeniedHandler denied = (request, response, e) -> {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            boolean anonymous = auth == null || TRUST.isAnonymous(auth);
            if (e instanceof CsrfException && anonymous && !request.getRequestURI().equals("/auth/login")) {
                problems.unauthorized(request, response, "Send Authorization: Bearer <api key>, or log in to the console");
            } else if (e instanceof CsrfException) {
                problems.forbidden(request, response, "csrf", "The CSRF token is missing or wrong: send the XSRF-TOKEN "
                        + "cookie's value in the X-XSRF-TOKEN header (or use an API key)");
            } else if (anonymous) {
                problems.unauthorized(request, response, "Send Authorization: Bearer <api key>, or log in to the console");
            } else {
                String role = auth.getPrincipal() instanceof HeraldPrincipal p ? p.role().wire() : "unknown";
                problems.forbidden(request, response, "forbidden", "Your role (" + role + ") does not allow "
                        + request.getMethod() + " " + request.getRequestURI());
            }
        };
        return http
                .csrf(csrf -> csrf.spa()
                        .csrfTokenRepository(csrfTokens)
                        .ignoringRequestMatchers(BearerKeyAuthenticationFilter::hasBearer)
                        // One-click unsubscribe is posted by mail clients: the signed token is the credential.
                        .ignoringRequestMatchers(request -> request.getRequestURI().startsWith("/u/")
                                || request.getRequestURI().startsWith("/webhooks/")))
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                .addFilterAfter(new BearerKeyAuthenticationFilter(keys, throttle, problems), LogoutFilter.class)
                .securityContext(context -> context.securityContextRepository(contexts))
                .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> problems.unauthorized(request, response,
                                "Send Authorization: Bearer <api key>, or log in to the console"))
                        .accessDeniedHandler(denied))
                .logout(logout -> logout
                        .logoutUrl("/auth/logout")
                        .addLogoutHandler((request, response, auth) -> {
                            if (auth != null && auth.getPrincipal() instanceof HeraldPrincipal p) {
                                audit.record(p, "auth.logout", null, null, null, request.getRemoteAddr());
                            }
                        })
                        .logoutSuccessHandler((request, response, auth) -> response.setStatus(204)))
                .authorizeHttpRequests(auth -> auth
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/ui", "/ui/**", "/favicon.ico").permitAll()
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/docs", "/docs/**",
                                "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/auth/me").permitAll()
                        .requestMatchers(HttpMethod.POST, "/auth/login").permitAll()
                        .requestMatchers(HttpMethod.GET, "/u/*").permitAll()
                        .requestMatchers(HttpMethod.POST, "/u/*").permitAll()
                        // click redirects and open pixels in emails (signed tokens; GET only, so no CSRF token applies)
                        .requestMatchers(HttpMethod.GET, "/l/*", "/o/*").permitAll()
                        .requestMatchers(HttpMethod.HEAD, "/l/*", "/o/*").permitAll()
                        .requestMatchers(HttpMethod.POST, SIGNED_WEBHOOKS).permitAll()
                        .requestMatchers("/webhooks", "/webhooks/**").hasAnyRole(Role.WEBHOOK.name(), Role.ADMIN.name())
                        .requestMatchers("/api-keys", "/api-keys/**", "/audit", "/audit/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/**").hasRole(Role.VIEWER.name())
                        .requestMatchers(HttpMethod.HEAD, "/**").hasRole(Role.VIEWER.name())
                        .requestMatchers(HttpMethod.POST, EDITOR_WRITES).hasRole(Role.EDITOR.name())
                        .requestMatchers(HttpMethod.PUT, EDITOR_WRITES).hasRole(Role.EDITOR.name())
                        .requestMatchers(HttpMethod.PATCH, EDITOR_WRITES).hasRole(Role.EDITOR.name())
                        .requestMatchers(HttpMethod.DELETE, EDITOR_WRITES).hasRole(Role.EDITOR.name())
                        .anyRequest().hasRole(Role.ADMIN.name()))
                .build();
    }

    /** Swagger UI offers an "Authorize" button for the API key. */
    @Bean
    OpenApiCustomizer bearerKeyScheme(SecurityProperties properties) {
        return openApi -> {
            if (!properties.enabled()) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes("api_key", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("An API key (hk_...): Authorization: Bearer <key>"));
            openApi.addSecurityItem(new SecurityRequirement().addList("api_key"));
        };
    }
}
