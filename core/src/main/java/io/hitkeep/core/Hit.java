package io.hitkeep.core;

/**
 * One enriched hit as it travels from a gateway to the writer: a pageview, a custom event when
 * {@link #eventName()} is not empty, or an engagement ping (the tracker's "the page was visible this long",
 * sent when it is hidden) when {@link #engagedMillis()} is above zero. Holds no IP address and no raw user agent. Strings are never null
 * (empty means unknown). Immutable.
 *
 * @param timestampMicros when it happened, microseconds since the epoch (UTC)
 * @param sessionKey      the tracker's own session id, empty when it sent none (the writer then derives one)
 * @param propsJson       the event's properties as a flat JSON object, empty for pageviews
 * @param browserVersion  the browser's major version ("128"), empty when unknown
 * @param osVersion       the OS version as far as the user agent tells it ("14", "10.15"), empty when unknown
 * @param medium          the referrer's medium (search, social, email, ai, paid, other), empty without a referrer
 * @param engagedMillis   for an engagement ping, how long the page was visible; 0 for pageviews and events
 */
public record Hit(long timestampMicros,
                  int siteId,
                  String hostname,
                  String path,
                  String referrerHost,
                  String source,
                  String utmSource,
                  String utmMedium,
                  String utmCampaign,
                  String utmTerm,
                  String utmContent,
                  String country,
                  String browser,
                  String os,
                  String device,
                  String language,
                  int viewportWidth,
                  long visitorId,
                  String sessionKey,
                  String eventName,
                  String propsJson,
                  String browserVersion,
                  String osVersion,
                  String medium,
                  int engagedMillis) {

    public boolean isEvent() {
        return !eventName.isEmpty();
    }

    public boolean isEngagement() {
        return engagedMillis > 0;
    }

    /** This pageview, enriched like any other, as the engagement ping of a page visible {@code millis} ms. */
    public Hit asEngagement(int millis) {
        Builder engagement = toBuilder();
        engagement.engagedMillis = millis;
        return engagement.build();
    }

    /** A builder holding every field of this hit, to change a few. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.timestampMicros = timestampMicros;
        builder.siteId = siteId;
        builder.hostname = hostname;
        builder.path = path;
        builder.referrerHost = referrerHost;
        builder.source = source;
        builder.utmSource = utmSource;
        builder.utmMedium = utmMedium;
        builder.utmCampaign = utmCampaign;
        builder.utmTerm = utmTerm;
        builder.utmContent = utmContent;
        builder.country = country;
        builder.browser = browser;
        builder.os = os;
        builder.device = device;
        builder.language = language;
        builder.viewportWidth = viewportWidth;
        builder.visitorId = visitorId;
        builder.sessionKey = sessionKey;
        builder.eventName = eventName;
        builder.propsJson = propsJson;
        builder.browserVersion = browserVersion;
        builder.osVersion = osVersion;
        builder.medium = medium;
        builder.engagedMillis = engagedMillis;
        return builder;
    }

    /** A builder, so the ingest pipeline's steps can each fill in their part. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        public long timestampMicros;
        public int siteId;
        public String hostname = "";
        public String path = "";
        public String referrerHost = "";
        public String source = "";
        public String utmSource = "";
        public String utmMedium = "";
        public String utmCampaign = "";
        public String utmTerm = "";
        public String utmContent = "";
        public String country = "";
        public String browser = "";
        public String os = "";
        public String device = "";
        public String language = "";
        public int viewportWidth;
        public long visitorId;
        public String sessionKey = "";
        public String eventName = "";
        public String propsJson = "";
        public String browserVersion = "";
        public String osVersion = "";
        public String medium = "";
        public int engagedMillis;

        private Builder() {
        }

        public Hit build() {
            return new Hit(timestampMicros, siteId, hostname, path, referrerHost, source, utmSource, utmMedium,
                    utmCampaign, utmTerm, utmContent, country, browser, os, device, language, viewportWidth,
                    visitorId, sessionKey, eventName, propsJson, browserVersion, osVersion, medium, engagedMillis);
        }
    }
}
