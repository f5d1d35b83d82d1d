/* Embeds the compiled `lines` model and classifies a few 8x8 drawings by the
 * orientation of their stroke, through the public C API only. */
#include "lines.h"

#include <stdio.h>

static const char *const kClasses[3] = {"horizontal", "vertical", "diagonal"};

static const char *const kDrawings[][8] = {
    {"........", "........", "........", "########", "........", "........", "........", "........"},
    {"....#...", "....#...", "....#...", "....#...", "....#...", "....#...", "....#...", "....#..."},
    {"#.......", ".#......", "..#.....", "...#....", "....#...", ".....#..", "......#.", ".......#"},
    {"........", ".######.", "........", "........", "........", "........", "........", "........"},
};

int main(void) {
  const sinter_model *model = lines_model();
  sinter_session *session = NULL;
  sinter_status status = sinter_session_create(model, NULL, &session);
  if (status != SINTER_OK) {
    fprintf(stderr, "cannot create a session: %s\n", sinter_status_string(status));
    return 1;
  }

  float image[64], probabilities[3];
  sinter_tensor input = sinter_model_input(model, 0);
  sinter_tensor output = sinter_model_output(model, 0);
  input.data = image;
  output.data = probabilities;

  for (size_t d = 0; d < sizeof kDrawings / sizeof kDrawings[0]; ++d) {
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x)
        image[y * 8 + x] = kDrawings[d][y][x] == '#' ? 1.0f : 0.0f;
    if (sinter_session_run(session, &input, 1, &output, 1) != SINTER_OK) {
      fprintf(stderr, "run failed: %s\n", sinter_session_error(session));
      sinter_session_destroy(session);
      return 1;
    }
    int best = 0;
    for (int c = 1; c < 3; ++c)
      if (probabilities[c] > probabilities[best])
        best = c;
    printf("drawing %zu:\n", d + 1);
    for (int y = 0; y < 8; ++y)
      printf("  %s\n", kDrawings[d][y]);
    printf("  -> %s (p = %.3f; horizontal %.3f, vertical %.3f, diagonal %.3f)\n\n",
           kClasses[best], probabilities[best], probabilities[0], probabilities[1],
           probabilities[2]);
  }
  sinter_session_destroy(session);
  return 0;
}
