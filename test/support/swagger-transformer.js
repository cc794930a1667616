// ts-jest AST transformer wrapping the @nestjs/swagger CLI plugin.
const { before } = require('@nestjs/swagger/plugin');

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (tsCompiler) =>
    before(
      {
        introspectComments: true,
        classValidatorShim: true,
        esmCompatible: true,
        dtoFileNameSuffix: ['.dto.ts', '.entity.ts'],
      },
      tsCompiler.program,
    ),
};
