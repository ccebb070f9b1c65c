package io.herald.config;

import java.time.Duration;

import org.apache.coyote.ProtocolHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves HTTP with {@link HeaderDeadlineProtocol}: a request's line and headers must arrive within
 * {@code herald.http.header-timeout} (10 s by default; 0 turns it off), on top of Tomcat's per-read
 * {@code server.tomcat.connection-timeout}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(TomcatServletWebServerFactory.class)
class SlowRequestLimits {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headerDeadline(
            @Value("${herald.http.header-timeout:10s}") Duration headerTimeout) {
        return factory -> {
            factory.setProtocol(HeaderDeadlineProtocol.class.getName());
            factory.addProtocolHandlerCustomizers((TomcatProtocolHandlerCustomizer<ProtocolHandler>) handler -> {
                if (handler instanceof HeaderDeadlineProtocol protocol) {
                    protocol.setHeaderTimeoutMillis(headerTimeout.toMillis());
                }
            });
        };
    }
}
