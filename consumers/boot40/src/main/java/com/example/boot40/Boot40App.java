package com.example.boot40;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

@SpringBootApplication
@EnableCaching
public class Boot40App {
    public static void main(String[] args) {
        SpringApplication.run(Boot40App.class, args);
    }
}
