// Version 1: customers and their orders (SQL tables), and an event log (JSON documents in a SQL table).
import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const Customer = defineModel('Customer', {
  table: 'customers',
  shape: {
    id: z.number().int(),
    name: z.string().max(120),
    email: z.string().max(200),
  },
});

export const Order = defineModel('Order', {
  table: 'orders',
  shape: {
    id: z.number().int(),
    customerId: z.number().int(),
    total: z.number(),
    status: z.string().max(20),
  },
  foreignKeys: [
    { fields: ['customerId'], references: { model: 'Customer', fields: ['id'] }, onDelete: 'cascade' },
  ],
});

export const Event = defineModel('Event', {
  target: 'document',
  table: 'events',
  shape: {
    _id: z.string(),
    type: z.string(),
    at: z.string(),
    payload: z.object({ customerId: z.number().int(), note: z.string() }),
  },
});

export default defineSchema([Customer, Order, Event]);
