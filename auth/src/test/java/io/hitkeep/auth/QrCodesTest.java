package io.hitkeep.auth;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.nayuki.qrcodegen.QrCode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QrCodesTest {
    private static final String URI = "otpauth://totp/HitKeep:owner%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=HitKeep"
            + "&algorithm=SHA1&digits=6&period=30";

    /** Draws the squares of our SVG path into pixels and lets an independent reader (ZXing) decode them. */
    @Test
    void theSvgReadsBackAsTheEnrolmentUri() throws Exception {
        String svg = QrCodes.svg(URI);
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertTrue(box.find(), svg);
        int size = Integer.parseInt(box.group(1));
        int scale = 6;
        int[] pixels = new int[size * scale * size * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher square = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        int squares = 0;
        while (square.find()) {
            int x = Integer.parseInt(square.group(1));
            int y = Integer.parseInt(square.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * size * scale + x * scale + dx] = 0xFF000000;
                }
            }
            squares++;
        }
        QrCode code = QrCodes.encode(URI);
        assertEquals(code.size + 8, size, "a four-module quiet zone on each side");
        int dark = 0;
        for (int y = 0; y < code.size; y++) {
            for (int x = 0; x < code.size; x++) {
                dark += code.getModule(x, y) ? 1 : 0;
            }
        }
        assertEquals(dark, squares, "one square per dark module");
        LuminanceSource source = new RGBLuminanceSource(size * scale, size * scale, pixels);
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
        assertEquals(URI, decoded);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(!svg.contains("<script") && !svg.contains("href"), "nothing active in it");
    }
}
