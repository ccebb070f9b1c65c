package io.herald.web;

import java.io.IOException;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the web console at {@code /ui/}. Paths that are not files (client-side routes such as
 * {@code /ui/campaigns/7}) get index.html, so reloading any page of the console works.
 */
@Configuration
class UiConfiguration implements WebMvcConfigurer {
    private static final String UI = "classpath:/static/ui/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/ui/");
        registry.addRedirectViewController("/ui", "/ui/");
        // The resource handler never serves an empty path (it answers 404), so the console's root is forwarded.
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/ui/**")
                .addResourceLocations(UI)
                .resourceChain(true)
                .addResolver(new PathResourceResolver() {
                    @Override
                    protected Resource getResource(String resourcePath, Resource location) throws IOException {
                        Resource requested = location.createRelative(resourcePath);
                        if (requested.exists() && requested.isReadable()) {
                            return requested;
                        }
                        // A path with a file extension is a missing asset (404); anything else is a client route.
                        if (resourcePath.substring(resourcePath.lastIndexOf('/') + 1).contains(".")) {
                            return null;
                        }
                        Resource index = new ClassPathResource("static/ui/index.html");
                        return index.exists() ? index : null;
                    }
                });
    }
}
