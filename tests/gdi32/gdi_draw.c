/*
 * Copyright 2026 the wine-d3dkmt authors
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  It is distributed WITHOUT ANY WARRANTY;
 * see COPYING.LIB.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Draws with GDI and writes what it drew as BMP files, or compares two such
 * sets of files pixel by pixel:
 *
 *   gdi_draw.exe draw DIR          writes DIR\scene32.bmp and DIR\scene8.bmp
 *   gdi_draw.exe compare DIR1 DIR2 prints the differing pixels of each pair,
 *                                  exits 0 when every pixel is equal
 *
 * Run once with Wine's own gdi32 and once through the drop-in gdi32, the two
 * sets must be identical.  The scenes use what lives in gdi32.dll itself
 * (text output with its bidi and Uniscribe code, metafile recording and
 * playback, paths, regions, palettes, the Gdi* blending entry points) as well
 * as what gdi32 passes on to win32u (DIB rendering, fonts, blits).
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <usp10.h>

#define W 800
#define H 600

static int check(BOOL ok, const char *what)
{
    if (!ok) printf("gdi_draw: %s failed (error %lu)\n", what, GetLastError());
    return !ok;
}

/* bitmap is selected into dc. */
static int write_bmp(const char *dir, const char *name, HDC dc, HBITMAP bitmap, int bpp)
{
    char path[MAX_PATH];
    BITMAPFILEHEADER file;
    DIBSECTION dib;
    RGBQUAD colors[256];
    UINT ncolors = bpp <= 8 ? 1u << bpp : 0;
    FILE *f;
    DWORD size;

    if (!GetObjectW(bitmap, sizeof(dib), &dib)) return 1;
    if (ncolors && GetDIBColorTable(dc, 0, ncolors, colors) != ncolors) return check(FALSE, "GetDIBColorTable");
    size = dib.dsBm.bmWidthBytes * dib.dsBm.bmHeight;
    memset(&file, 0, sizeof(file));
    file.bfType = 0x4d42;
    file.bfOffBits = sizeof(file) + sizeof(BITMAPINFOHEADER) + ncolors * sizeof(RGBQUAD);
    file.bfSize = file.bfOffBits + size;
    snprintf(path, sizeof(path), "%s\\%s", dir, name);
    if (!(f = fopen(path, "wb"))) return check(FALSE, path);
    fwrite(&file, sizeof(file), 1, f);
    fwrite(&dib.dsBmih, sizeof(dib.dsBmih), 1, f);
    if (ncolors) fwrite(colors, sizeof(RGBQUAD), ncolors, f);
    fwrite(dib.dsBm.bmBits, 1, size, f);
    fclose(f);
    printf("gdi_draw: wrote %s (%ldx%ld, %d bpp)\n", path, dib.dsBm.bmWidth, dib.dsBm.bmHeight, bpp);
    return 0;
}

static HBITMAP make_dib(int width, int height, int bpp, void **bits)
{
    struct { BITMAPINFOHEADER h; RGBQUAD colors[256]; } info;
    int i;

    memset(&info, 0, sizeof(info));
    info.h.biSize = sizeof(info.h);
    info.h.biWidth = width;
    info.h.biHeight = -height;
    info.h.biPlanes = 1;
    info.h.biBitCount = bpp;
    info.h.biCompression = BI_RGB;
    if (bpp == 8)
        for (i = 0; i < 256; i++)  /* a 6x6x6 cube and greys */
        {
            if (i < 216)
            {
                info.colors[i].rgbRed = (i / 36) * 51;
                info.colors[i].rgbGreen = (i / 6 % 6) * 51;
                info.colors[i].rgbBlue = (i % 6) * 51;
            }
            else info.colors[i].rgbRed = info.colors[i].rgbGreen = info.colors[i].rgbBlue = (i - 216) * 6;
        }
    return CreateDIBSection(0, (BITMAPINFO *)&info, DIB_RGB_COLORS, bits, NULL, 0);
}

static void draw_shapes(HDC dc)
{
    static const POINT star[] = {{60, 300}, {100, 400}, {10, 340}, {110, 340}, {20, 400}};
    static const POINT bezier[] = {{150, 300}, {200, 250}, {250, 450}, {300, 300}};
    LOGBRUSH lb = { BS_SOLID, RGB(200, 30, 30), 0 };
    HPEN pen, dash;
    HBRUSH hatch, solid;
    int i;

    hatch = CreateHatchBrush(HS_DIAGCROSS, RGB(0, 120, 0));
    solid = CreateSolidBrush(RGB(40, 90, 200));
    pen = ExtCreatePen(PS_GEOMETRIC | PS_SOLID | PS_ENDCAP_ROUND | PS_JOIN_BEVEL, 9, &lb, 0, NULL);
    dash = CreatePen(PS_DASHDOT, 1, RGB(0, 0, 0));

    SelectObject(dc, hatch);
    SelectObject(dc, dash);
    Rectangle(dc, 10, 10, 200, 120);
    SelectObject(dc, solid);
    Ellipse(dc, 220, 10, 400, 120);
    RoundRect(dc, 420, 10, 600, 120, 30, 30);
    Pie(dc, 620, 10, 790, 120, 790, 60, 620, 60);
    SelectObject(dc, pen);
    MoveToEx(dc, 20, 140, NULL);
    LineTo(dc, 300, 200);
    Chord(dc, 320, 130, 500, 230, 500, 180, 320, 180);
    SetPolyFillMode(dc, WINDING);
    SelectObject(dc, GetStockObject(BLACK_PEN));
    Polygon(dc, star, ARRAYSIZE(star));
    PolyBezier(dc, bezier, ARRAYSIZE(bezier));
    for (i = 0; i < 16; i++)
    {
        SetPixel(dc, 520 + i * 4, 140, RGB(i * 16, 255 - i * 16, 128));
        Arc(dc, 520 + i * 4, 150, 560 + i * 4, 190, 560, 170, 520, 170);
    }
    SelectObject(dc, GetStockObject(NULL_BRUSH));
    DeleteObject(hatch);
    DeleteObject(solid);
    DeleteObject(pen);
    DeleteObject(dash);
}

static void draw_text(HDC dc)
{
    static const WCHAR latin[] = L"The quick brown fox jumps over the lazy dog 0123456789";
    static const WCHAR mixed[] = L"abc \x05e9\x05dc\x05d5\x05dd 123 \x0645\x0631\x062d\x0628\x0627 def";
    static const int sizes[] = { -11, -16, -24 };
    SCRIPT_STRING_ANALYSIS ssa;
    HFONT font, old;
    RECT rect;
    UINT i;

    SetBkMode(dc, TRANSPARENT);
    for (i = 0; i < ARRAYSIZE(sizes); i++)
    {
        font = CreateFontW(sizes[i], 0, 0, 0, i == 1 ? FW_BOLD : FW_NORMAL, i == 2, FALSE, FALSE, DEFAULT_CHARSET,
                           OUT_DEFAULT_PRECIS, CLIP_DEFAULT_PRECIS, i ? ANTIALIASED_QUALITY : NONANTIALIASED_QUALITY,
                           DEFAULT_PITCH, L"Tahoma");
        old = SelectObject(dc, font);
        SetTextColor(dc, RGB(i * 100, 0, 255 - i * 100));
        TextOutW(dc, 10, 430 + i * 30, latin, lstrlenW(latin));
        SelectObject(dc, old);
        DeleteObject(font);
    }
    /* Right-to-left runs: gdi32's bidi code reorders them in ExtTextOut. */
    font = CreateFontW(-18, 0, 0, 0, FW_NORMAL, FALSE, FALSE, FALSE, DEFAULT_CHARSET, 0, 0, ANTIALIASED_QUALITY, 0,
                       L"Tahoma");
    old = SelectObject(dc, font);
    SetTextColor(dc, RGB(0, 0, 0));
    SetBkMode(dc, OPAQUE);
    SetBkColor(dc, RGB(255, 255, 200));
    SetRect(&rect, 10, 530, 400, 555);
    ExtTextOutW(dc, 12, 532, ETO_OPAQUE | ETO_CLIPPED, &rect, mixed, lstrlenW(mixed), NULL);
    SetTextAlign(dc, TA_RIGHT | TA_RTLREADING);
    ExtTextOutW(dc, 790, 532, 0, NULL, mixed, lstrlenW(mixed), NULL);
    SetTextAlign(dc, TA_LEFT);
    /* Uniscribe (gdi32 carries it in Wine). */
    if (!ScriptStringAnalyse(dc, mixed, lstrlenW(mixed), lstrlenW(mixed) * 3 / 2 + 16, -1,
                             SSA_GLYPHS | SSA_FALLBACK, 0, NULL, NULL, NULL, NULL, NULL, &ssa))
    {
        ScriptStringOut(ssa, 420, 565, 0, NULL, 0, 0, FALSE);
        ScriptStringFree(&ssa);
    }
    SetBkMode(dc, TRANSPARENT);
    SelectObject(dc, old);
    DeleteObject(font);
}

static void draw_bitmaps(HDC dc)
{
    BLENDFUNCTION blend = { AC_SRC_OVER, 0, 255, AC_SRC_ALPHA };
    TRIVERTEX vertices[3] = {
        { 420, 240, 0xff00, 0x0000, 0x0000, 0x0000 },
        { 600, 240, 0x0000, 0xff00, 0x0000, 0x0000 },
        { 510, 400, 0x0000, 0x0000, 0xff00, 0x0000 } };
    TRIVERTEX rect_vertices[2] = { { 620, 240, 0xffff, 0xffff, 0x0000, 0 }, { 790, 300, 0x0000, 0x8000, 0xffff, 0 } };
    GRADIENT_TRIANGLE triangle = { 0, 1, 2 };
    GRADIENT_RECT grect = { 0, 1 };
    HDC mem = CreateCompatibleDC(dc);
    HBITMAP small, alpha;
    DWORD *bits;
    int x, y;

    /* A small 32-bit bitmap with an alpha ramp. */
    alpha = make_dib(64, 64, 32, (void **)&bits);
    for (y = 0; y < 64; y++)
        for (x = 0; x < 64; x++)
        {
            BYTE a = x * 4, r = y * 4;
            bits[y * 64 + x] = (a << 24) | ((r * a / 255) << 16) | ((BYTE)(128 * a / 255) << 8);
        }
    SelectObject(mem, alpha);
    GdiAlphaBlend(dc, 620, 320, 128, 128, mem, 0, 0, 64, 64, blend);
    StretchBlt(dc, 420, 410, 48, 16, mem, 0, 0, 64, 64, SRCCOPY);

    small = CreateCompatibleBitmap(dc, 40, 40);
    SelectObject(mem, small);
    PatBlt(mem, 0, 0, 40, 40, WHITENESS);
    SelectObject(mem, GetStockObject(GRAY_BRUSH));
    Ellipse(mem, 5, 5, 35, 35);
    BitBlt(dc, 300, 240, 40, 40, mem, 0, 0, SRCCOPY);
    BitBlt(dc, 320, 260, 40, 40, mem, 0, 0, SRCINVERT);
    SetStretchBltMode(dc, HALFTONE);
    StretchBlt(dc, 300, 300, 100, 70, mem, 0, 0, 40, 40, SRCCOPY);
    SetStretchBltMode(dc, COLORONCOLOR);
    StretchBlt(dc, 300, 380, -40, 40, mem, 0, 0, 40, 40, NOTSRCCOPY);
    GdiTransparentBlt(dc, 480, 410, 40, 40, mem, 0, 0, 40, 40, RGB(255, 255, 255));

    GdiGradientFill(dc, vertices, 3, &triangle, 1, GRADIENT_FILL_TRIANGLE);
    GdiGradientFill(dc, rect_vertices, 2, &grect, 1, GRADIENT_FILL_RECT_V);
    DeleteDC(mem);
    DeleteObject(small);
    DeleteObject(alpha);
}

static void draw_paths_regions(HDC dc)
{
    XFORM xform = { 0.866f, 0.5f, -0.5f, 0.866f, 150.0f, 200.0f };
    HRGN a, b;
    HBRUSH brush;
    HFONT font;

    BeginPath(dc);
    font = CreateFontW(-40, 0, 0, 0, FW_BOLD, FALSE, FALSE, FALSE, DEFAULT_CHARSET, 0, 0, 0, 0, L"Tahoma");
    SelectObject(dc, font);
    TextOutW(dc, 620, 470, L"Path", 4);
    EndPath(dc);
    SelectObject(dc, GetStockObject(LTGRAY_BRUSH));
    StrokeAndFillPath(dc);
    SelectObject(dc, GetStockObject(SYSTEM_FONT));
    DeleteObject(font);

    a = CreateEllipticRgn(10, 250, 130, 330);
    b = CreateRectRgn(60, 270, 200, 300);
    CombineRgn(a, a, b, RGN_XOR);
    brush = CreateSolidBrush(RGB(250, 150, 0));
    FillRgn(dc, a, brush);
    FrameRgn(dc, a, GetStockObject(BLACK_BRUSH), 2, 2);
    DeleteObject(brush);
    DeleteObject(a);
    DeleteObject(b);

    SetGraphicsMode(dc, GM_ADVANCED);
    SetWorldTransform(dc, &xform);
    SelectObject(dc, GetStockObject(WHITE_BRUSH));
    Rectangle(dc, -40, -20, 40, 20);
    TextOutW(dc, -30, -8, L"rotated", 7);
    ModifyWorldTransform(dc, NULL, MWT_IDENTITY);
    SetGraphicsMode(dc, GM_COMPATIBLE);
}

/* Recorded into an enhanced metafile and a Windows metafile, then played
 * back: both are gdi32's own code. */
static void draw_metafiles(HDC dc)
{
    RECT frame = { 0, 0, 4000, 2000 }, rect = { 420, 130, 600, 230 };
    HENHMETAFILE emf;
    HMETAFILE wmf;
    HDC rec;

    rec = CreateEnhMetaFileW(dc, NULL, &frame, L"gdi_draw\0scene\0");
    SelectObject(rec, GetStockObject(DKGRAY_BRUSH));
    Ellipse(rec, 0, 0, 150, 80);
    SetTextColor(rec, RGB(255, 0, 0));
    TextOutW(rec, 10, 30, L"EMF", 3);
    MoveToEx(rec, 0, 0, NULL);
    LineTo(rec, 150, 80);
    emf = CloseEnhMetaFile(rec);
    PlayEnhMetaFile(dc, emf, &rect);
    DeleteEnhMetaFile(emf);

    rec = CreateMetaFileW(NULL);
    SelectObject(rec, GetStockObject(BLACK_BRUSH));
    Rectangle(rec, 0, 0, 30, 30);
    TextOutW(rec, 35, 5, L"WMF", 3);
    wmf = CloseMetaFile(rec);
    SetViewportOrgEx(dc, 700, 140, NULL);
    PlayMetaFile(dc, wmf);
    SetViewportOrgEx(dc, 0, 0, NULL);
    DeleteMetaFile(wmf);
}

static int draw(const char *dir)
{
    HBITMAP dib32, dib8;
    void *bits32, *bits8;
    HDC dc;
    int failed = 0;

    CreateDirectoryA(dir, NULL);
    dib32 = make_dib(W, H, 32, &bits32);
    dib8 = make_dib(256, 256, 8, &bits8);
    if (check(dib32 && dib8, "CreateDIBSection")) return 1;

    dc = CreateCompatibleDC(0);
    SelectObject(dc, dib32);
    PatBlt(dc, 0, 0, W, H, WHITENESS);
    draw_shapes(dc);
    draw_text(dc);
    draw_bitmaps(dc);
    draw_paths_regions(dc);
    draw_metafiles(dc);
    GdiFlush();
    failed |= write_bmp(dir, "scene32.bmp", dc, dib32, 32);

    /* The same shapes, halved, on a palette DIB. */
    SelectObject(dc, dib8);
    PatBlt(dc, 0, 0, 256, 256, WHITENESS);
    SetMapMode(dc, MM_ANISOTROPIC);
    SetWindowExtEx(dc, W, H, NULL);
    SetViewportExtEx(dc, 256, 192, NULL);
    draw_shapes(dc);
    draw_text(dc);
    SetMapMode(dc, MM_TEXT);
    GdiFlush();
    failed |= write_bmp(dir, "scene8.bmp", dc, dib8, 8);
    DeleteDC(dc);
    DeleteObject(dib32);
    DeleteObject(dib8);
    return failed;
}

static BYTE *read_file(const char *dir, const char *name, DWORD *size)
{
    char path[MAX_PATH];
    BYTE *data;
    FILE *f;
    long len;

    snprintf(path, sizeof(path), "%s\\%s", dir, name);
    if (!(f = fopen(path, "rb"))) return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc(len ? len : 1);
    *size = fread(data, 1, len, f);
    fclose(f);
    return data;
}

/* Compares the pixels of two BMP files written by draw(). */
static int compare_one(const char *dir1, const char *dir2, const char *name)
{
    const BITMAPFILEHEADER *f1, *f2;
    const BITMAPINFOHEADER *h1, *h2;
    DWORD size1, size2, i, differ = 0, drawn = 0, pixels, bpp;
    BYTE *a = read_file(dir1, name, &size1), *b = read_file(dir2, name, &size2);
    const BYTE *p1, *p2;

    if (!a || !b)
    {
        printf("%s: missing in %s\n", name, a ? dir2 : dir1);
        return 1;
    }
    f1 = (const BITMAPFILEHEADER *)a;
    f2 = (const BITMAPFILEHEADER *)b;
    h1 = (const BITMAPINFOHEADER *)(f1 + 1);
    h2 = (const BITMAPINFOHEADER *)(f2 + 1);
    if (size1 != size2 || h1->biWidth != h2->biWidth || h1->biHeight != h2->biHeight ||
        h1->biBitCount != h2->biBitCount || f1->bfOffBits != f2->bfOffBits)
    {
        printf("%s: different formats (%lux%ld/%u vs %lux%ld/%u)\n", name, h1->biWidth, h1->biHeight,
               h1->biBitCount, h2->biWidth, h2->biHeight, h2->biBitCount);
        return 1;
    }
    bpp = h1->biBitCount / 8;
    pixels = (size1 - f1->bfOffBits) / bpp;
    p1 = a + f1->bfOffBits;
    p2 = b + f2->bfOffBits;
    for (i = 0; i < pixels; i++)
    {
        if (memcmp(p1 + i * bpp, p2 + i * bpp, bpp)) differ++;
        if (bpp == 4 ? (*(const DWORD *)(p1 + i * 4) & 0xffffff) != 0xffffff : p1[i] != 0xff) drawn++;
    }
    if (memcmp(a + sizeof(*f1), b + sizeof(*f2), f1->bfOffBits - sizeof(*f1)))
    {
        printf("%s: the headers or color tables differ\n", name);
        differ++;
    }
    printf("%s: %lu pixels, %lu drawn (not white), %lu differ\n", name, pixels, drawn, differ);
    if (drawn < pixels / 10)
    {
        printf("%s: too little was drawn\n", name);
        return 1;
    }
    return differ != 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "draw")) return draw(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "compare"))
        return compare_one(argv[2], argv[3], "scene32.bmp") | compare_one(argv[2], argv[3], "scene8.bmp");
    printf("usage: gdi_draw draw DIR | gdi_draw compare DIR1 DIR2\n");
    return 2;
}
