#!/usr/bin/env bash
# Debian's Tesseract (with its English model) and Ghostscript, which read scanned letters (retrieval/ingest/ocr.py).
# Nothing is downloaded at run time. Unlike the browser, OCR is part of the product: when it cannot be
# installed this script fails, so `make test` (and CI) fails with this message instead of skipping.
set -eu
have() { command -v tesseract >/dev/null && command -v gs >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx eng; }
if have; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng ghostscript >/dev/null
fi
if ! have; then
  echo "Text recognition (OCR) is missing: install Debian's 'tesseract-ocr', 'tesseract-ocr-eng' and 'ghostscript'" \
       "packages (sudo apt-get install tesseract-ocr tesseract-ocr-eng ghostscript). Scanned letters cannot be read without them." >&2
  exit 1
fi
