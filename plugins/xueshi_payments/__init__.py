"""Paid enrolment: products, orders, WeChat Pay, Alipay, transfers, refunds, reconciliation."""
