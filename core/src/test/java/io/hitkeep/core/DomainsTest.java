package io.hitkeep.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DomainsTest {
    /** An empty wanted value means "not a host name". */
    @ParameterizedTest(name = "{0}: ''{1}'' -> ''{2}''")
    @CsvSource({
            "url with scheme www and path,   'https://www.Example.com/blog',   example.com",
            "upper case www and final dot,   'WWW.EXAMPLE.COM.',               example.com",
            "internationalised name,         '例え.jp',                          xn--r8jz45g.jp",
            "internationalised url,          'https://www.例え.jp/パス',          xn--r8jz45g.jp",
            "not a host,                     'not a host!',                    ''",
            "single label,                   'localhost',                      localhost",
            "port refused,                   'example.com:8080',               ''",
            "port in a url refused,          'https://example.com:8443/',      ''",
            "a boolean is no host,           'true',                           ''",
            "a number is no host,            '1.0e308',                        ''",
            "one label is no host,           'mars',                           ''",
            "top-level domain of digits,     'example.123',                    ''",
            "ipv4 address,                   '127.0.0.1',                      127.0.0.1",
            "ipv4 octet over 255,            '256.1.1.1',                      ''",
            "user info refused,              'https://me@example.com/',        ''",
            "query and fragment,             'example.com?x=1#top',            example.com",
            "surrounding blanks,             '  blog.example.org  ',           blog.example.org",
            "subdomain kept,                 'http://shop.example.co.uk/',     shop.example.co.uk",
            "empty,                          '',                               ''",
            "scheme only,                    'https://',                       ''",
            "underscore,                     'my_site.com',                    ''",
            "label starting with hyphen,     '-bad.com',                       ''",
            "label of 64 characters,         'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com', ''",
    })
    void parse(String name, String typed, String wanted) {
        assertEquals(wanted.isEmpty() ? Optional.empty() : Optional.of(wanted), Domains.parse(typed));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "WWW.Example.com.,  example.com",
            "www.example.com,   example.com",
            "example.com,       example.com",
            "wwwexample.com,    wwwexample.com",
            "www2.example.com,  www2.example.com",
    })
    void siteKey(String host, String wanted) {
        assertEquals(wanted, Domains.siteKey(host));
    }
}
