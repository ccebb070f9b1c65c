package io.herald;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ApplicationListener;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HeraldApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(HeraldApplication.class);
        // A worker-only process (seed 004's "-w" mode) serves no HTTP at all.
        app.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> {
            if (!HeraldRoles.has(event.getEnvironment(), HeraldRoles.API)) {
                app.setWebApplicationType(WebApplicationType.NONE);
            }
        });
        app.run(args);
    }
}
