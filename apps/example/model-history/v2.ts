// Version 2: Order.total is renamed to amount (a rename hint, so no question is asked).
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
    amount: z.number().meta({ renamedFrom: 'total' }),
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
