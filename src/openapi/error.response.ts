import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every refusal and failure: Nest's own shape, never repeating what was sent. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status again' })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['reason must be shorter than or equal to 500 characters'],
    description: 'What is wrong: for a 400 usually a list, one line per field naming the rule it breaks',
  })
  message: string | string[];

  @ApiPropertyOptional({ example: 'Bad Request', description: "The status's name" })
  error?: string;
}
