package dev.idem.spring.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/** A Spring MVC application on an embedded Tomcat on a free loopback port, and an HTTP client for it. */
final class MvcServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final AnnotationConfigWebApplicationContext context;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MvcServer(Tomcat tomcat, AnnotationConfigWebApplicationContext context) {
        this.tomcat = tomcat;
        this.context = context;
        this.port = tomcat.getConnector().getLocalPort();
    }

    static MvcServer start(Class<?>... configurations) throws IOException, LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("idem-tomcat").toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context servletContext = tomcat.addContext("", null);
        AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
        context.register(configurations);
        Tomcat.addServlet(servletContext, "dispatcher", new DispatcherServlet(context)).setLoadOnStartup(1);
        servletContext.addServletMappingDecoded("/", "dispatcher");
        tomcat.start();
        return new MvcServer(tomcat, context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** POSTs JSON, with an Idempotency-Key header unless {@code key} is null. */
    HttpResponse<String> post(String path, String key, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
