package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"pastel/internal/paste"
)

// Timeouts that make an unreachable S3 server fail fast instead of holding
// a request for minutes (minio-go's defaults are 10 attempts, a 30 s dial
// and a 1 min header timeout). With two attempts a refused connection fails
// in under a second, an unroutable host in about 3 s, and a server that
// accepts connections but never answers in about 10 s (Ping: 2 s). A
// request's own context deadline, when shorter, wins.
const (
	s3DialTimeout     = 1500 * time.Millisecond
	s3TLSTimeout      = 3 * time.Second
	s3HeaderTimeout   = 5 * time.Second
	s3MaxAttempts     = 2
	s3PingTimeout     = 2 * time.Second
	s3DefaultRegion   = "us-east-1"
	s3BodyContentType = "application/octet-stream"
)

// S3Options configures an S3 store.
type S3Options struct {
	// Endpoint is host:port of the S3 server. An http:// or https:// prefix
	// is accepted and overrides UseSSL.
	Endpoint string
	// AccessKey is the static access key ID.
	AccessKey string
	// SecretKey is the secret access key.
	SecretKey string
	// Bucket holds the bodies; NewS3 creates it when missing.
	Bucket string
	// Region defaults to us-east-1.
	Region string
	// UseSSL selects https.
	UseSSL bool
}

// S3 stores blobs as objects in one bucket of an S3-compatible server. It is
// safe for concurrent use.
type S3 struct {
	client *minio.Client
	core   minio.Core // the same client, for its single-request GetObject
	bucket string
}

var _ paste.Blobs = (*S3)(nil)

// NewS3 connects to the server described by opts and creates the bucket if
// it does not exist yet. An unreachable server is an error wrapping
// paste.ErrUnavailable.
func NewS3(ctx context.Context, opts S3Options) (*S3, error) {
	endpoint, secure := opts.Endpoint, opts.UseSSL
	if rest, ok := strings.CutPrefix(endpoint, "https://"); ok {
		endpoint, secure = rest, true
	} else if rest, ok := strings.CutPrefix(endpoint, "http://"); ok {
		endpoint, secure = rest, false
	}
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == "" {
		return nil, errors.New("s3: empty endpoint")
	}
	if opts.Bucket == "" {
		return nil, errors.New("s3: empty bucket")
	}
	region := opts.Region
	if region == "" {
		region = s3DefaultRegion
	}
	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, fmt.Errorf("s3 transport: %w", err)
	}
	tr.DialContext = (&net.Dialer{Timeout: s3DialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = s3TLSTimeout
	tr.ResponseHeaderTimeout = s3HeaderTimeout
	client, err := minio.New(endpoint, &minio.Options{
		Creds:      credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, ""),
		Secure:     secure,
		Transport:  tr,
		Region:     region,
		MaxRetries: s3MaxAttempts,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 client %s: %w", endpoint, err)
	}
	s := &S3{client: client, core: minio.Core{Client: client}, bucket: opts.Bucket}
	if err := s.ensureBucket(ctx, region); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *S3) ensureBucket(ctx context.Context, region string) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return translate("s3 bucket", s.bucket, err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err == nil {
		return nil
	}
	// Another replica may have created it between the two calls.
	switch minio.ToErrorResponse(err).Code {
	case minio.BucketAlreadyOwnedByYou:
		return nil
	case minio.BucketAlreadyExists:
		if ok, xerr := s.client.BucketExists(ctx, s.bucket); xerr == nil && ok {
			return nil
		}
	}
	return translate("s3 make bucket", s.bucket, err)
}

// Bucket returns the name of the bucket the bodies live in.
func (s *S3) Bucket() string { return s.bucket }

// Put uploads size bytes read from r under key as one request, streaming
// the body rather than buffering it (a negative size makes minio-go buffer
// it). Put replaces any previous body; a failed Put leaves it unchanged.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := checkKey("s3 put", key); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType: s3BodyContentType,
	})
	if err != nil {
		return translate("s3 put", key, err)
	}
	return nil
}

// Open returns the body stored under key. Client.GetObject is lazy (its
// first request goes out at the first Read or Stat) and costs a HEAD plus a
// GET; Open sends the one GET itself, so a missing key is an error wrapping
// paste.ErrNotFound here, not at the first Read.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey("s3 get", key); err != nil {
		return nil, err
	}
	body, _, _, err := s.core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, translate("s3 get", key, err)
	}
	return &s3Reader{body: body, key: key}, nil
}

// Delete removes the object under key. S3 deletes are idempotent: deleting
// a missing key returns nil.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey("s3 delete", key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil
		}
		return translate("s3 delete", key, err)
	}
	return nil
}

// Walk calls fn for every object in the bucket with its last modification
// time, in lexical order. Walk stops at the first error fn returns and
// returns it.
func (s *S3) Walk(ctx context.Context, fn func(key string, modified time.Time) error) error {
	ctx, cancel := context.WithCancel(ctx)
	objects := s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true})
	defer func() {
		// The listing goroutine ends only once the channel is drained.
		cancel()
		for range objects {
		}
	}()
	for obj := range objects {
		if obj.Err != nil {
			return translate("s3 list", s.bucket, obj.Err)
		}
		if strings.HasSuffix(obj.Key, "/") {
			continue // a folder marker, not a body
		}
		if err := fn(obj.Key, obj.LastModified); err != nil {
			return err
		}
	}
	return nil
}

// Ping checks within a short timeout that the bucket answers; an error
// wraps paste.ErrUnavailable.
func (s *S3) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s3PingTimeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		err = translate("s3 ping", s.bucket, err)
		if !errors.Is(err, paste.ErrUnavailable) {
			err = fmt.Errorf("%w: %w", paste.ErrUnavailable, err)
		}
		return err
	}
	if !ok {
		return fmt.Errorf("s3 ping %s: %w: bucket does not exist", s.bucket, paste.ErrUnavailable)
	}
	return nil
}

// s3Reader translates errors met while streaming a body, such as the
// connection dropping before Content-Length bytes arrived.
type s3Reader struct {
	body io.ReadCloser
	key  string
}

func (r *s3Reader) Read(p []byte) (int, error) {
	n, err := r.body.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = translate("s3 read", r.key, err)
	}
	return n, err
}

func (r *s3Reader) Close() error { return r.body.Close() }

// translate maps a minio-go error to the domain: NoSuchKey is
// paste.ErrNotFound; a missing bucket, a 5xx answer or no answer at all
// (refused, reset, timed out) is paste.ErrUnavailable. Other S3 answers
// (access denied, bad request) and a cancelled context are returned
// wrapped as they are.
func translate(op, name string, err error) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch {
		case resp.Code == minio.NoSuchKey:
			return fmt.Errorf("%s %s: %w: %w", op, name, paste.ErrNotFound, err)
		case resp.Code == minio.NoSuchBucket,
			resp.StatusCode >= http.StatusInternalServerError,
			resp.StatusCode == http.StatusRequestTimeout,
			resp.StatusCode == http.StatusTooManyRequests:
			return fmt.Errorf("%s %s: %w: %w", op, name, paste.ErrUnavailable, err)
		case resp.StatusCode != 0:
			return fmt.Errorf("%s %s: %w", op, name, err)
		}
	}
	if errors.Is(err, context.Canceled) {
		// The caller gave up; the store may be fine.
		return fmt.Errorf("%s %s: %w", op, name, err)
	}
	// No S3 answer: the request never completed (refused, reset, timed
	// out, truncated response).
	return fmt.Errorf("%s %s: %w: %w", op, name, paste.ErrUnavailable, err)
}
