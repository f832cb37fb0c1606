"""The ``XUESHI_*`` keys of media, previews, notifications, reporting and live lessons.

``config.KEYS`` appends these to its own table; they live here only to keep modules small.
Nothing secret has a default: a secret is generated (none here need one) or the operator
must give it once the feature it belongs to is switched on (``validation_services``).
"""

from __future__ import annotations

from .key import Key

MEDIA_STORAGES = ("volume", "platform")
LIVE_PROVIDERS = ("", "tencent", "aliyun")
REPORTING_KEY_NAMES = ("hmac_key", "sm2_private", "sm2_public", "peer_sm2_public", "sm4_key")

#: The path prefix of internal redirects; Caddy serves only headers that start with it (ADR 0320).
MEDIA_ACCEL_PREFIX = "/xueshi-media-internal/"
#: Notifications' own Celery queue, which Tutor's LMS workers consume besides theirs (ADR 0322).
NOTIFY_QUEUE = "xueshi.notify"
#: Where the transcoder's scratch folder lives inside the worker's own data volume.
MEDIA_WORK_DIR = "/openedx/data/xueshi-media-work"
#: Spreadsheet batches for bureaus hold ID numbers: Tutor's private media volume, never /media/.
REPORTING_XLSX_DIR = "/openedx/media-private/xueshi-reporting"
#: The flag that lets a ``public`` course run be seen without enrolment (edx-platform,
#: openedx/features/course_experience: COURSE_ENABLE_UNENROLLED_ACCESS_FLAG).
PREVIEW_WAFFLE_FLAG = "seo.enable_anonymous_courseware_access"

SERVICE_KEYS: tuple[Key, ...] = (
    # Course media (xueshi_media): storage, transcoding worker, delivery (ADR 0320)
    Key(
        "MEDIA_STORAGE",
        "volume",
        "'volume': a shared volume, segments sent by Caddy; 'platform': Django's default storage "
        "(e.g. tutor-minio), segments redirected to presigned URLs (MEDIA_PRESIGNED_SECONDS)",
        group="media",
    ),
    Key(
        "MEDIA_PRESIGNED_SECONDS",
        60,
        "with 'platform' storage: life of the presigned object-storage URL a verified segment is "
        "redirected to (ADR 0326; 0 = the LMS streams the bytes; 0-3600)",
        group="media",
    ),
    Key(
        "MEDIA_STORAGE_PREFIX",
        "xueshi-media",
        "folder of uploads and HLS ladders in the storage; never reachable under /media/",
        group="media",
    ),
    Key(
        "MEDIA_VOLUME_SIZE",
        "100Gi",
        "Kubernetes size of the shared (ReadWriteMany) media volume",
        group="media",
    ),
    Key(
        "MEDIA_STORAGE_CLASS",
        "",
        "Kubernetes storage class of the media volume; must offer ReadWriteMany ('' = default)",
        group="media",
    ),
    Key("MEDIA_QUEUE", "xueshi.media", "Celery queue of transcoding jobs", group="media"),
    Key(
        "MEDIA_WORKER_CONCURRENCY",
        1,
        "transcoding jobs one media worker runs at once (about one per two cores; 1-32)",
        group="media",
    ),
    Key(
        "MEDIA_WORKER_REPLICAS",
        1,
        "Kubernetes replicas of the media worker (0 stops transcoding; 0-20)",
        group="media",
    ),
    # Previews (试听, ADR 0168 and 0321)
    Key(
        "PREVIEWS",
        True,
        "turn on the platform flag that lets runs set to 'public' be previewed without enrolment",
        group="previews",
    ),
    # Notifications (xueshi_notify): the WeChat official account, Tencent's SMS region (ADR 0322)
    Key("SMS_TENCENT_REGION", "ap-guangzhou", "Tencent Cloud SMS region", group="sms"),
    Key(
        "NOTIFY_WECHAT_APPID",
        "",
        "official account AppID for subscription messages (wx…)",
        group="sms",
    ),
    Key(
        "NOTIFY_WECHAT_SECRET",
        "",
        "official account AppSecret for subscription messages",
        secret=True,
        group="sms",
    ),
    Key(
        "NOTIFY_WECHAT_TEMPLATES",
        {},
        "per message kind: {id: template id, fields: {thing1: context key}}",
        group="sms",
    ),
    Key(
        "NOTIFY_DEFAULT_LANGUAGE",
        "zh-cn",
        "language of messages to learners who chose none in their account settings",
        group="sms",
    ),
    Key(
        "NOTIFY_BATCH_SIZE",
        200,
        "learners per Celery task when a training project is announced (1-5000)",
        group="sms",
    ),
    # Provincial reporting (xueshi_reporting): destinations' keys and the delivery sweep (ADR 0323)
    Key(
        "REPORTING_SECRETS",
        {},
        "destination code -> {hmac_key, sm2_private, sm2_public, peer_sm2_public, sm4_key}",
        secret=True,
        group="reporting",
    ),
    Key(
        "REPORTING_URLS",
        {},
        "destination code -> https URL, overriding the address stored with the destination",
        group="reporting",
    ),
    Key(
        "REPORTING_SWEEP_SECONDS",
        30,
        "seconds between beat sweeps that deliver due outbox batches (5-3600)",
        group="reporting",
    ),
    Key(
        "REPORTING_HOLD_UNTIL_CONFIRMED",
        False,
        "hold study until a provincial register confirms the learner (ADR 0331)",
        group="reporting",
    ),
    # Live lessons (直播): names the live app reads; the provider's keys, never defaults (ADR 0324)
    Key("LIVE_PROVIDER", "", "live provider: '' (off), 'tencent' or 'aliyun'", group="live"),
    Key("LIVE_PUSH_DOMAIN", "", "push (ingest) domain registered with the provider", group="live"),
    Key("LIVE_PLAY_DOMAIN", "", "play domain registered with the provider", group="live"),
    Key(
        "LIVE_AUTH_KEY",
        "",
        "URL authentication key of the play and push domains (鉴权 key)",
        secret=True,
        group="live",
    ),
    Key(
        "LIVE_APP",
        "live",
        "the provider's AppName path segment of push and play URLs",
        group="live",
    ),
    Key(
        "LIVE_PLAY_KEY",
        "",
        "the play domain's key when it differs from the push domain's ('' = LIVE_AUTH_KEY)",
        secret=True,
        group="live",
    ),
    Key(
        "LIVE_CALLBACK_KEY",
        "",
        "the key the provider signs stream callbacks with ('' = LIVE_AUTH_KEY)",
        secret=True,
        group="live",
    ),
    Key(
        "LIVE_RECORDING_HOSTS",
        [],
        "hosts the provider's recordings may be downloaded from (e.g. the VOD bucket's domain)",
        group="live",
    ),
    Key(
        "LIVE_API_KEY_ID",
        "",
        "SecretId / AccessKey ID for stream-state queries that close lessons whose stop callback "
        "was lost ('' = no queries; ADR 0356)",
        group="live",
    ),
    Key(
        "LIVE_API_SECRET",
        "",
        "SecretKey / AccessKey secret of LIVE_API_KEY_ID",
        secret=True,
        group="live",
    ),
    Key(
        "LIVE_API_REGION",
        "",
        "region of the live API ('' = ap-guangzhou for Tencent, cn-shanghai for Alibaba)",
        group="live",
    ),
    # E-invoices through Baiwang (ADR 0370): its OAuth token is issued to a platform user
    Key(
        "INVOICE_USERNAME",
        "",
        "Baiwang: the open-platform user the token is issued to (required with baiwang)",
        group="invoice",
    ),
    Key(
        "INVOICE_PASSWORD",
        "",
        "Baiwang: that user's password (required with baiwang)",
        secret=True,
        group="invoice",
    ),
    # Statistics at province scale (ADR 0307): the database's cache, with Tutor's own MySQL
    Key(
        "MYSQL_BUFFER_POOL_SIZE",
        "",
        "with RUN_MYSQL under `tutor local`: innodb_buffer_pool_size of Tutor's MySQL, e.g. '4G' "
        "for 1,000,000 learners ('' = MySQL's default, 128M; docs/performance.md)",
        group="stats",
    ),
)

#: Where the MySQL option file is rendered (under env/) and mounted in Tutor's ``mysql`` container.
MYSQL_OPTION_FILE = "plugins/xueshi/apps/mysql/xueshi.cnf"
MYSQL_OPTION_TARGET = "/etc/mysql/conf.d/xueshi.cnf"
