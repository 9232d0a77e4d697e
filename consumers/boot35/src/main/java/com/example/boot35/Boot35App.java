package com.example.boot35;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

@SpringBootApplication
@EnableCaching
public class Boot35App {
    public static void main(String[] args) {
        SpringApplication.run(Boot35App.class, args);
    }
}
