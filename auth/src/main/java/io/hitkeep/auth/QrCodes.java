package io.hitkeep.auth;

import io.nayuki.qrcodegen.QrCode;

/**
 * QR codes as SVG, drawn on the server so the dashboard needs no QR library and its CSP no inline script:
 * the TOTP enrolment URI becomes one {@code <path>} of unit squares with a four-module quiet zone.
 */
final class QrCodes {
    private static final int QUIET_ZONE = 4;

    private QrCodes() {
    }

    static QrCode encode(String text) {
        return QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    }

    static String svg(String text) {
        return svg(encode(text));
    }

    static String svg(QrCode code) {
        int size = code.size + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder(code.size * code.size * 4);
        for (int y = 0; y < code.size; y++) {
            for (int x = 0; x < code.size; x++) {
                if (code.getModule(x, y)) {
                    path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" "
                + "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code for your authenticator app\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}
