#!/usr/bin/env bash
# Makes the MPEG-TS clip the fake engine serves: 10 s of ffmpeg's test pattern (H.264, 640x360,
# 25 fps, a keyframe every second) and a 440 Hz tone (AAC), about 2 MB. Run from this folder;
# the output replaces the testkit's resource.
set -euo pipefail
out=../src/main/resources/dev/aceproxy/testkit/clip.ts
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -t 10 \
  -c:v libx264 -preset veryfast -profile:v main -pix_fmt yuv420p \
  -g 25 -keyint_min 25 -sc_threshold 0 -bf 0 \
  -b:v 1400k -maxrate 1400k -bufsize 1400k -x264-params nal-hrd=cbr \
  -c:a aac -b:a 96k -ac 2 \
  -f mpegts -mpegts_service_id 1 -mpegts_pmt_start_pid 4096 -mpegts_start_pid 256 \
  -muxrate 1700k -pcr_period 40 \
  "$out"
ls -l "$out"
