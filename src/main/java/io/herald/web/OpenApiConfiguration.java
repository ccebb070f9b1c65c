package io.herald.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OpenApiConfiguration {
    @Bean
    OpenAPI heraldOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Herald API")
                .version("v1")
                .description("Messaging campaigns: import recipients, select them by tags, personalise a template, "
                        + "send through a durable queue and watch delivery live. Errors are RFC 9457 application/problem+json.")
                .license(new License().name("Apache-2.0")));
    }
}
