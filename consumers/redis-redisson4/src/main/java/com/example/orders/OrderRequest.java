package com.example.orders;

import java.util.List;

/** A request DTO without equals, as many are. */
public class OrderRequest {
    public final String orderId;
    public final List<String> items;

    public OrderRequest(String orderId, List<String> items) {
        this.orderId = orderId;
        this.items = items;
    }
}
