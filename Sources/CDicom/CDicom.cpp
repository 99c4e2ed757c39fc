// Implementation of CDicom.h over GDCM 3. Every entry point catches exceptions: nothing C++ crosses into Swift.
#include "CDicom.h"

#include <malloc.h>
#include <zlib.h>

#include <gdcm-3.0/gdcmDataSet.h>
#include <gdcm-3.0/gdcmDict.h>
#include <gdcm-3.0/gdcmDicts.h>
#include <gdcm-3.0/gdcmFile.h>
#include <gdcm-3.0/gdcmFileMetaInformation.h>
#include <gdcm-3.0/gdcmGlobal.h>
#include <gdcm-3.0/gdcmImage.h>
#include <gdcm-3.0/gdcmImageReader.h>
#include <gdcm-3.0/gdcmItem.h>
#include <gdcm-3.0/gdcmReader.h>
#include <gdcm-3.0/gdcmSequenceOfItems.h>
#include <gdcm-3.0/gdcmTrace.h>
#include <gdcm-3.0/gdcmTransferSyntax.h>
#include <gdcm-3.0/gdcmWriter.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct cdicom_file {
    std::unique_ptr<gdcm::Reader> reader;
    gdcm::ImageReader *imageReader = nullptr; // same object as reader when opened whole
    std::string transferSyntax;
    bool bigEndian = false;
    // Sequences decoded on demand (implicit VR files) are kept alive here for the file's lifetime.
    std::map<const gdcm::DataElement *, gdcm::SmartPointer<gdcm::SequenceOfItems>> sequences;
};

namespace {

void setError(char *err, size_t errlen, const std::string &message) {
    if (err == nullptr || errlen == 0) return;
    std::strncpy(err, message.c_str(), errlen - 1);
    err[errlen - 1] = '\0';
}

gdcm::Tag makeTag(uint32_t tag) { return gdcm::Tag(uint16_t(tag >> 16), uint16_t(tag & 0xffff)); }

const gdcm::DataSet *asDataSet(cdicom_dataset ds) { return static_cast<const gdcm::DataSet *>(ds); }

// The element's VR, from the file when explicit, else from the dictionary.
gdcm::VR vrOf(const gdcm::DataElement &de) {
    gdcm::VR vr = de.GetVR();
    if (vr == gdcm::VR::INVALID || vr == gdcm::VR::UN) {
        const gdcm::Dicts &dicts = gdcm::Global::GetInstance().GetDicts();
        const gdcm::DictEntry &entry = dicts.GetDictEntry(de.GetTag());
        gdcm::VR dictVR = entry.GetVR();
        if (dictVR != gdcm::VR::INVALID) vr = dictVR;
    }
    return vr;
}

bool isBinaryVR(gdcm::VR vr) {
    switch (vr) {
    case gdcm::VR::US: case gdcm::VR::SS: case gdcm::VR::UL: case gdcm::VR::SL: case gdcm::VR::FL:
    case gdcm::VR::FD: case gdcm::VR::AT: case gdcm::VR::OB: case gdcm::VR::OW: case gdcm::VR::OF:
    case gdcm::VR::OD: case gdcm::VR::OL: case gdcm::VR::US_SS: case gdcm::VR::OB_OW: case gdcm::VR::SQ:
    case gdcm::VR::UN: case gdcm::VR::OV: case gdcm::VR::SV: case gdcm::VR::UV:
        return true;
    default:
        return false;
    }
}

std::string trimmed(const char *p, size_t n) {
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\0')) --n;
    size_t start = 0;
    while (start < n && p[start] == ' ') ++start;
    return std::string(p + start, n - start);
}

template <typename T> T readLE(const char *p, bool swap) {
    T value;
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, p, sizeof(T));
    if (swap) {
        for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    }
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

template <typename T>
long decodeBinary(const char *p, size_t len, bool swap, double *out, size_t capacity) {
    size_t count = len / sizeof(T);
    for (size_t i = 0; i < count && i < capacity; ++i) out[i] = double(readLE<T>(p + i * sizeof(T), swap));
    return long(count);
}

} // namespace

extern "C" {

void cdicom_keep_slice_buffers(void) {
    // glibc maps every block above M_MMAP_THRESHOLD afresh and returns it on free, so each slice's buffers
    // (GDCM's copy of the file's pixel data, the decoded frame) would cost page faults and zeroing per file.
    // Serving blocks up to 16 MiB from the heap, and keeping up to 64 MiB of freed heap, reuses them instead.
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

void cdicom_quiet(void) {
    gdcm::Trace::WarningOff();
    gdcm::Trace::ErrorOff();
    gdcm::Trace::DebugOff();
}

cdicom_file *cdicom_open(const char *path, int header_only, char *err, size_t errlen) {
    try {
        std::unique_ptr<cdicom_file> file(new cdicom_file());
        if (header_only) {
            file->reader.reset(new gdcm::Reader());
            file->reader->SetFileName(path);
            // Stop at the pixel data without reading them (listed in skip, GDCM leaves the value unread).
            std::set<gdcm::Tag> skip{gdcm::Tag(0x7fe0, 0x0010)};
            if (!file->reader->ReadUpToTag(gdcm::Tag(0x7fe0, 0x0010), skip)) {
                setError(err, errlen, "cannot parse as DICOM (truncated or corrupt)");
                return nullptr;
            }
        } else {
            gdcm::ImageReader *ir = new gdcm::ImageReader();
            file->reader.reset(ir);
            file->imageReader = ir;
            ir->SetFileName(path);
            if (!ir->Read()) {
                setError(err, errlen, "cannot read DICOM image (truncated, corrupt or no pixel data)");
                return nullptr;
            }
        }
        const gdcm::TransferSyntax &ts = file->reader->GetFile().GetHeader().GetDataSetTransferSyntax();
        const char *uid = gdcm::TransferSyntax::GetTSString(ts);
        file->transferSyntax = uid ? trimmed(uid, std::strlen(uid)) : std::string();
        file->bigEndian = ts.GetSwapCode() == gdcm::SwapCode::BigEndian;
        return file.release();
    } catch (const std::exception &e) {
        setError(err, errlen, std::string("cannot parse as DICOM: ") + e.what());
    } catch (...) {
        setError(err, errlen, "cannot parse as DICOM");
    }
    return nullptr;
}

void cdicom_close(cdicom_file *file) { delete file; }



cdicom_dataset cdicom_root(cdicom_file *file) { return &file->reader->GetFile().GetDataSet(); }

const char *cdicom_transfer_syntax(cdicom_file *file) { return file->transferSyntax.c_str(); }

int cdicom_has(cdicom_dataset ds, uint32_t tag) {
    try {
        return asDataSet(ds)->FindDataElement(makeTag(tag)) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

long cdicom_get_string(cdicom_file *file, cdicom_dataset ds, uint32_t tag, char *buf, size_t buflen) {
    (void)file;
    try {
        const gdcm::DataSet *set = asDataSet(ds);
        gdcm::Tag t = makeTag(tag);
        if (!set->FindDataElement(t)) return -1;
        const gdcm::DataElement &de = set->GetDataElement(t);
        if (isBinaryVR(vrOf(de)) && vrOf(de) != gdcm::VR::UN) return -2;
        const gdcm::ByteValue *bv = de.GetByteValue();
        std::string value = bv ? trimmed(bv->GetPointer(), bv->GetLength()) : std::string();
        if (buf && buflen > 0) {
            size_t n = value.size() < buflen - 1 ? value.size() : buflen - 1;
            std::memcpy(buf, value.data(), n);
            buf[n] = '\0';
        }
        return long(value.size());
    } catch (...) {
        return -2;
    }
}

long cdicom_get_numbers(cdicom_file *file, cdicom_dataset ds, uint32_t tag, double *out, size_t capacity) {
    try {
        const gdcm::DataSet *set = asDataSet(ds);
        gdcm::Tag t = makeTag(tag);
        if (!set->FindDataElement(t)) return -1;
        const gdcm::DataElement &de = set->GetDataElement(t);
        const gdcm::ByteValue *bv = de.GetByteValue();
        if (!bv) return 0;
        const char *p = bv->GetPointer();
        size_t len = bv->GetLength();
        bool swap = file->bigEndian;
        switch (vrOf(de)) {
        case gdcm::VR::US: case gdcm::VR::US_SS: case gdcm::VR::OW: return decodeBinary<uint16_t>(p, len, swap, out, capacity);
        case gdcm::VR::SS: return decodeBinary<int16_t>(p, len, swap, out, capacity);
        case gdcm::VR::UL: case gdcm::VR::OL: return decodeBinary<uint32_t>(p, len, swap, out, capacity);
        case gdcm::VR::SL: return decodeBinary<int32_t>(p, len, swap, out, capacity);
        case gdcm::VR::FL: case gdcm::VR::OF: return decodeBinary<float>(p, len, swap, out, capacity);
        case gdcm::VR::FD: case gdcm::VR::OD: return decodeBinary<double>(p, len, swap, out, capacity);
        case gdcm::VR::OB: return decodeBinary<uint8_t>(p, len, swap, out, capacity);
        case gdcm::VR::AT: {
            size_t count = len / 4;
            for (size_t i = 0; i < count && i < capacity; ++i) {
                uint32_t g = readLE<uint16_t>(p + 4 * i, swap), e = readLE<uint16_t>(p + 4 * i + 2, swap);
                out[i] = double((g << 16) | e);
            }
            return long(count);
        }
        case gdcm::VR::SQ: case gdcm::VR::UN: return -2;
        default: {
            // Text: DS, IS and anything else holding backslash-separated numbers.
            std::string text(p, len);
            long count = 0;
            size_t start = 0;
            while (start <= text.size()) {
                size_t end = text.find('\\', start);
                if (end == std::string::npos) end = text.size();
                std::string part = trimmed(text.data() + start, end - start);
                if (!part.empty()) {
                    char *stop = nullptr;
                    double v = std::strtod(part.c_str(), &stop);
                    if (stop == part.c_str() || *stop != '\0') return -2;
                    if (size_t(count) < capacity) out[count] = v;
                    ++count;
                } else if (end < text.size()) {
                    return -2; // an empty value inside a list
                }
                start = end + 1;
            }
            return count;
        }
        }
    } catch (...) {
        return -2;
    }
}

static gdcm::SequenceOfItems *sequenceOf(cdicom_file *file, cdicom_dataset ds, uint32_t tag) {
    const gdcm::DataSet *set = asDataSet(ds);
    gdcm::Tag t = makeTag(tag);
    if (!set->FindDataElement(t)) return nullptr;
    const gdcm::DataElement &de = set->GetDataElement(t);
    auto found = file->sequences.find(&de);
    if (found != file->sequences.end()) return found->second.GetPointer();
    gdcm::SmartPointer<gdcm::SequenceOfItems> sq = de.GetValueAsSQ();
    if (!sq) return nullptr;
    file->sequences[&de] = sq;
    return sq.GetPointer();
}

long cdicom_sequence_count(cdicom_file *file, cdicom_dataset ds, uint32_t tag) {
    try {
        gdcm::SequenceOfItems *sq = sequenceOf(file, ds, tag);
        return sq ? long(sq->GetNumberOfItems()) : -1;
    } catch (...) {
        return -1;
    }
}

cdicom_dataset cdicom_sequence_item(cdicom_file *file, cdicom_dataset ds, uint32_t tag, long index) {
    try {
        gdcm::SequenceOfItems *sq = sequenceOf(file, ds, tag);
        if (!sq || index < 0 || size_t(index) >= sq->GetNumberOfItems()) return nullptr;
        return &sq->GetItem(size_t(index) + 1).GetNestedDataSet();
    } catch (...) {
        return nullptr;
    }
}

long cdicom_pixel_buffer_length(cdicom_file *file, char *err, size_t errlen) {
    try {
        if (!file->imageReader) {
            setError(err, errlen, "file was opened for its header only");
            return -1;
        }
        return long(file->imageReader->GetImage().GetBufferLength());
    } catch (const std::exception &e) {
        setError(err, errlen, std::string("cannot size pixel data: ") + e.what());
    } catch (...) {
        setError(err, errlen, "cannot size pixel data");
    }
    return -1;
}

int cdicom_decode_pixels(cdicom_file *file, void *dst, size_t dst_len, cdicom_pixel_layout *layout, char *err,
                         size_t errlen) {
    try {
        if (!file->imageReader) {
            setError(err, errlen, "file was opened for its header only");
            return -1;
        }
        const gdcm::Image &image = file->imageReader->GetImage();
        size_t need = image.GetBufferLength();
        if (need > dst_len) {
            setError(err, errlen, "pixel buffer too small");
            return -1;
        }
        const gdcm::PixelFormat &pf = image.GetPixelFormat();
        // GDCM accepts native pixel data cut short by the end of the file; refuse it here.
        const gdcm::DataElement &pixels = image.GetDataElement();
        if (!pixels.GetSequenceOfFragments()) {
            const gdcm::ByteValue *bv = pixels.GetByteValue();
            size_t have = bv ? size_t(uint32_t(bv->GetLength())) : 0;
            size_t bits = size_t(image.GetDimension(0)) * image.GetDimension(1) * pf.GetSamplesPerPixel() *
                          (image.GetNumberOfDimensions() > 2 ? image.GetDimension(2) : 1) * pf.GetBitsAllocated();
            if (have * 8 < bits) {
                setError(err, errlen, "pixel data holds " + std::to_string(have) + " bytes, the image needs " +
                                          std::to_string((bits + 7) / 8) + " (truncated file?)");
                return -1;
            }
        }
        if (!image.GetBuffer(static_cast<char *>(dst))) {
            setError(err, errlen, "cannot decode pixel data (truncated, corrupt or unsupported compression)");
            return -1;
        }
        layout->columns = int(image.GetDimension(0));
        layout->rows = int(image.GetDimension(1));
        layout->frames = image.GetNumberOfDimensions() > 2 ? int(image.GetDimension(2)) : 1;
        layout->samples_per_pixel = int(pf.GetSamplesPerPixel());
        layout->bits_allocated = int(pf.GetBitsAllocated());
        layout->bits_stored = int(pf.GetBitsStored());
        layout->pixel_representation = int(pf.GetPixelRepresentation());
        layout->byte_length = need;
        return 0;
    } catch (const std::exception &e) {
        setError(err, errlen, std::string("cannot decode pixel data: ") + e.what());
    } catch (...) {
        setError(err, errlen, "cannot decode pixel data");
    }
    return -1;
}

} // extern "C"

// --- writing ---

namespace {
struct Node;
struct Entry {
    std::string vr;
    std::vector<char> bytes;
    std::vector<Node> items;
};
struct Node {
    std::map<uint32_t, Entry> elements;
};

void build(const Node &node, gdcm::DataSet &ds) {
    for (const auto &pair : node.elements) {
        gdcm::DataElement de(makeTag(pair.first));
        const Entry &entry = pair.second;
        gdcm::VR vr = gdcm::VR::GetVRType(entry.vr.c_str());
        de.SetVR(vr);
        if (vr == gdcm::VR::SQ) {
            gdcm::SmartPointer<gdcm::SequenceOfItems> sq = new gdcm::SequenceOfItems();
            sq->SetLengthToUndefined();
            for (const Node &child : entry.items) {
                gdcm::Item item;
                item.SetVLToUndefined();
                build(child, item.GetNestedDataSet());
                sq->AddItem(item);
            }
            de.SetValue(*sq);
            de.SetVLToUndefined();
        } else {
            de.SetByteValue(entry.bytes.data(), uint32_t(entry.bytes.size()));
        }
        ds.Replace(de);
    }
}
} // namespace

struct cdicom_writer {
    Node root;
};

extern "C" {

cdicom_writer *cdicom_writer_new(void) {
    try {
        return new cdicom_writer();
    } catch (...) {
        return nullptr;
    }
}

void cdicom_writer_free(cdicom_writer *writer) { delete writer; }

int cdicom_writer_set(cdicom_writer *writer, const uint32_t *tags, const int32_t *items, int depth, const char *vr,
                      const void *bytes, size_t len, char *err, size_t errlen) {
    try {
        if (depth < 1) {
            setError(err, errlen, "empty tag path");
            return -1;
        }
        Node *node = &writer->root;
        for (int d = 0; d < depth - 1; ++d) {
            Entry &seq = node->elements[tags[d]];
            seq.vr = "SQ";
            if (items[d] < 0) {
                setError(err, errlen, "negative item index");
                return -1;
            }
            if (seq.items.size() <= size_t(items[d])) seq.items.resize(size_t(items[d]) + 1);
            node = &seq.items[size_t(items[d])];
        }
        Entry &entry = node->elements[tags[depth - 1]];
        entry.vr = vr;
        if (std::strcmp(vr, "SQ") != 0) {
            const char *p = static_cast<const char *>(bytes);
            entry.bytes.assign(p, p + len);
        }
        return 0;
    } catch (const std::exception &e) {
        setError(err, errlen, e.what());
    } catch (...) {
        setError(err, errlen, "cannot set element");
    }
    return -1;
}

int cdicom_writer_save(cdicom_writer *writer, const char *path, const char *transfer_syntax_uid, char *err,
                       size_t errlen) {
    try {
        gdcm::TransferSyntax::TSType type = gdcm::TransferSyntax::GetTSType(transfer_syntax_uid);
        if (type != gdcm::TransferSyntax::ExplicitVRLittleEndian &&
            type != gdcm::TransferSyntax::ImplicitVRLittleEndian) {
            setError(err, errlen, std::string("unsupported transfer syntax for writing: ") + transfer_syntax_uid);
            return -1;
        }
        gdcm::Writer w;
        w.SetFileName(path);
        gdcm::File &file = w.GetFile();
        gdcm::DataSet ds;
        build(writer->root, ds);
        file.SetDataSet(ds);
        file.GetHeader().SetDataSetTransferSyntax(gdcm::TransferSyntax(type));
        w.SetCheckFileMetaInformation(true);
        if (!w.Write()) {
            setError(err, errlen, "cannot write file");
            return -1;
        }
        return 0;
    } catch (const std::exception &e) {
        setError(err, errlen, e.what());
    } catch (...) {
        setError(err, errlen, "cannot write file");
    }
    return -1;
}

} // extern "C"

long cdicom_inflate(const void *src, size_t src_len, void *dst, size_t dst_cap) {
    z_stream stream;
    std::memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return -1; // negative window bits: raw deflate, no zlib header
    const size_t most = 1u << 30;                               // zlib counts in uInt
    unsigned char scratch[1 << 16];
    const unsigned char *in = static_cast<const unsigned char *>(src);
    size_t inLeft = src_len, total = 0;
    long result;
    for (;;) {
        if (stream.avail_in == 0 && inLeft > 0) {
            size_t chunk = inLeft < most ? inLeft : most;
            stream.next_in = const_cast<unsigned char *>(in);
            stream.avail_in = static_cast<uInt>(chunk);
            in += chunk;
            inLeft -= chunk;
        }
        // Measuring, or the output is full: inflate into scratch (one byte more than dst_cap proves it does not fit).
        unsigned char *out = scratch;
        size_t room = sizeof scratch;
        if (dst && total < dst_cap) {
            out = static_cast<unsigned char *>(dst) + total;
            room = dst_cap - total < most ? dst_cap - total : most;
        } else if (dst) {
            room = 1;
        }
        stream.next_out = out;
        stream.avail_out = static_cast<uInt>(room);
        int rc = inflate(&stream, Z_NO_FLUSH);
        total += room - stream.avail_out;
        if (total > dst_cap) { result = -3; break; }
        if (rc == Z_STREAM_END) { result = static_cast<long>(total); break; }
        bool inputUsedUp = stream.avail_in == 0 && inLeft == 0;
        if (rc == Z_BUF_ERROR) {          // no progress possible: more input needed
            if (inputUsedUp) { result = -2; break; }
            continue;
        }
        if (rc != Z_OK) { result = -1; break; }
        if (inputUsedUp && stream.avail_out != 0) { result = -2; break; }
    }
    inflateEnd(&stream);
    return result;
}
