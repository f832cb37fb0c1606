"""Payment channels: one adapter per provider (WeChat Pay v3, Alipay, ...) behind ``base.PaymentChannel``."""
