package com.example.orders;

import java.util.List;

public record Confirmation(String orderId, String confirmationNumber, List<String> items) {
}
