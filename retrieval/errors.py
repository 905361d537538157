"""Errors a user may meet while adding or finding records.

Each message is plain English and says what to do next; the UI and the CLI
show ``str(error)`` as it is.
"""
from __future__ import annotations


class RetrievalError(Exception):
    """Base of every records or index error a user may see."""

    default = "This file could not be read."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.default)


class UnsupportedType(RetrievalError):
    default = ("This type of file is not supported. Save it as PDF, Word (.docx), "
               "plain text, Markdown or e-mail (.eml) and add it again.")


class EncryptedPdf(RetrievalError):
    default = ("This PDF is protected with a password. Enter the password when you add it, "
               "or ask the sender for an unprotected copy.")


class WrongPassword(EncryptedPdf):
    default = "The password for this PDF is not right. Check it and try again."


class NoTextLayer(RetrievalError):
    default = ("This PDF has no text layer (it is a scan or a picture of text), so nothing could "
               "be read from it. Run it through OCR (text recognition) and add the result.")


class OcrUnavailable(RetrievalError):
    default = ("This is a scan or a picture of text, and text recognition (OCR) is not installed on this "
               "server, so it could not be read. Ask your administrator to install it (scripts/install-ocr.sh), "
               "then add the file again.")


class NothingRecognised(RetrievalError):
    default = ("No text could be recognised in this scan or picture. If it is a letter, scan it again at "
               "300 dpi, straight and in good light, and add it again. If it is a photo or a drawing, there is "
               "no text in it to read: describe it in a case note instead.")


class MalformedFile(RetrievalError):
    default = ("This file is damaged or incomplete and could not be read. "
               "Ask the sender for a fresh copy, or re-save it and add it again.")


class TooLarge(RetrievalError):
    default = "This file is larger than the limit. Split it into smaller files and add them separately."


class TooManyPages(RetrievalError):
    default = "This document has more pages than the limit. Split it into smaller files and add them separately."


class UnreadableEncoding(RetrievalError):
    default = ("The text in this file uses a character encoding that could not be recognised. "
               "Save it as UTF-8 text and add it again.")


class WordDeclaresEntities(RetrievalError):
    default = ("This Word file contains XML declarations (a DOCTYPE or ENTITY) that Word itself never writes, so "
               "it was not read: part of its text could have been lost or replaced. Open it in Word, save it as a "
               "new .docx or as PDF, and add that.")


class EmptyDocument(RetrievalError):
    default = "This file contains no readable text. Check that it is the right file."


class ParseTimeout(RetrievalError):
    default = ("Reading this file took too long and was stopped. It may be damaged or unusually "
               "complex: re-save it (for example print it to a new PDF) and add it again.")


class ParseTooComplex(RetrievalError):
    default = ("Reading this file needed more memory than allowed and was stopped. It may be damaged "
               "or unusually complex: re-save it or split it, and add it again.")


class NotFound(RetrievalError):
    default = "That record does not exist. Check the reference and try again."


class NotAuthorised(RetrievalError):
    default = "You do not have access to this case. Ask your supervisor if you need it."


class IndexUnavailable(RetrievalError):
    default = ("The search index could not be reached. Check that the Chroma server is running "
               "(or that the data folder is writable) and try again.")


class UnsupportedEncryption(UnsupportedType):
    default = ("This PDF is protected with a kind of encryption this tool cannot open. "
               "Ask the sender for an unprotected copy, or print it to a new PDF and add that.")


class CannotOpenFile(RetrievalError):
    default = ("This file could not be opened. Check that it still exists and that you are "
               "allowed to read it, then add it again.")
