package com.example.fatjar;

import dev.idem.core.Idempotency;
import dev.idem.core.IdempotentResult;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** Makes a first call and a repeat, prints what happened on one line, and ends. */
@SpringBootApplication
public class FatJarApp {

    public static void main(String[] args) {
        SpringApplication.run(FatJarApp.class, args).close();
    }

    @Bean
    CommandLineRunner calls(QuoteService quotes) {
        return args -> {
            IdempotentResult<String> first = Idempotency.capture(() -> quotes.quote("c-1"));
            IdempotentResult<String> repeat = Idempotency.capture(() -> quotes.quote("c-1"));
            System.out.println("RESULT first.replayed=" + first.replayed() + " repeat.replayed=" + repeat.replayed()
                    + " repeat.value=" + repeat.value() + " runs=" + quotes.quotes());
        };
    }
}
