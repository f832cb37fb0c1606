"""The channels a delivery goes out on: email (Django's mail), SMS (Alibaba/Tencent SDKs), WeChat."""
